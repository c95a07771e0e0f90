namespace Scheduler.Core.Accounting;

/// <summary>
/// A Job's share of the embodied emissions of the hardware it ran on, as the Software Carbon Intensity
/// specification defines it: <c>M = TE x (TR / EL) x (RR / TR)</c>, the total embodied emissions times
/// the share of the hardware's life the Job reserved it for, times the share of its resources it reserved.
/// </summary>
public static class EmbodiedEmissions
{
    /// <summary>Days in a year of a hardware lifespan: 365.25, so that four years are 1461 days (35,064 hours).</summary>
    public const double DaysPerYear = 365.25;

    /// <summary>A lifespan of <paramref name="years"/> years of <see cref="DaysPerYear"/> days.</summary>
    /// <param name="years">The lifespan in years; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="years"/> is not positive or not finite.</exception>
    public static TimeSpan Lifespan(double years)
    {
        if (!double.IsFinite(years) || years <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(years), years, "A lifespan must be a positive number of years.");
        }

        return TimeSpan.FromDays(years * DaysPerYear);
    }

    /// <summary>The embodied share, gCO2eq.</summary>
    /// <param name="totalKgCo2e">The hardware's total embodied emissions (manufacture and disposal), kgCO2eq.</param>
    /// <param name="lifespan">Its expected life in service.</param>
    /// <param name="reserved">How long the Job reserved it.</param>
    /// <param name="resourceShare">The share of its resources the Job reserved, 0 to 1 (for example requested GPUs over the host's GPUs).</param>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative, the lifespan is not positive or the share exceeds 1.</exception>
    public static double Grams(double totalKgCo2e, TimeSpan lifespan, TimeSpan reserved, double resourceShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalKgCo2e);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifespan, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(reserved, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(resourceShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resourceShare, 1);
        return totalKgCo2e * 1000 * (reserved.Ticks / (double)lifespan.Ticks) * resourceShare;
    }

    /// <summary>
    /// The embodied share of a pod, gCO2eq, with the resource share Cloud Carbon Footprint uses: the pod's
    /// requested vCPUs over the vCPUs of the whole host (<c>min(1, requestedVcpus / platformVcpus)</c>).
    /// </summary>
    /// <remarks>
    /// GPUs: when the pod requests GPUs and the host has <paramref name="platformGpus"/> of them, the share is
    /// <c>max(cpu share, min(1, requestedGpus / platformGpus))</c>. A GPU Job holds its GPUs exclusively and
    /// GPUs make up much of a GPU host's embodied total, so a pod with 8 GPUs and 2 vCPUs on an 8-GPU host
    /// reserves the host, not 2/96 of it. The larger share is taken rather than a sum, so the shares of
    /// co-located pods cannot add up to more than the host. The GPU count is that of the host the total
    /// belongs to, not of the node: a <c>g4dn.xlarge</c> node has 1 GPU but is a slice of an 8-GPU host,
    /// so its one GPU is 1/8 of the host, consistent with the vCPU share. Without
    /// <paramref name="platformGpus"/> (a host total that counts no GPUs) requested GPUs are ignored.
    /// </remarks>
    /// <param name="totalKgCo2e">The host's total embodied emissions, kgCO2eq.</param>
    /// <param name="platformVcpus">vCPUs of the whole host; must be positive.</param>
    /// <param name="lifespan">The host's expected life in service (Cloud Carbon Footprint: four years).</param>
    /// <param name="requestedVcpus">vCPUs the pod requests.</param>
    /// <param name="reserved">How long the pod held them.</param>
    /// <param name="requestedGpus">GPUs the pod requests; default 0.</param>
    /// <param name="platformGpus">GPUs of the whole host; default 0 (none known).</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A figure is negative, <paramref name="platformVcpus"/> or the lifespan is not positive.
    /// </exception>
    public static double ForPod(
        double totalKgCo2e,
        double platformVcpus,
        TimeSpan lifespan,
        double requestedVcpus,
        TimeSpan reserved,
        double requestedGpus = 0,
        double platformGpus = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(platformVcpus);
        ArgumentOutOfRangeException.ThrowIfNegative(requestedVcpus);
        ArgumentOutOfRangeException.ThrowIfNegative(requestedGpus);
        ArgumentOutOfRangeException.ThrowIfNegative(platformGpus);
        var share = Math.Min(1, requestedVcpus / platformVcpus);
        if (requestedGpus > 0 && platformGpus > 0)
        {
            share = Math.Max(share, Math.Min(1, requestedGpus / platformGpus));
        }

        return Grams(totalKgCo2e, lifespan, reserved, share);
    }
}
