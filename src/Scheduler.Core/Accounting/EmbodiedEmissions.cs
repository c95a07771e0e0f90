namespace Scheduler.Core.Accounting;

/// <summary>
/// A Job's share of the embodied emissions of the hardware it ran on, as the Software Carbon Intensity
/// specification defines it: <c>M = TE x (TR / EL) x (RR / TR)</c>, the total embodied emissions times
/// the share of the hardware's life the Job reserved it for, times the share of its resources it reserved.
/// </summary>
public static class EmbodiedEmissions
{
    /// <summary>The embodied share, gCO2eq.</summary>
    /// <param name="totalKgCo2e">The hardware's total embodied emissions (manufacture and disposal), kgCO2eq.</param>
    /// <param name="lifespan">Its expected life in service.</param>
    /// <param name="reserved">How long the Job reserved it.</param>
    /// <param name="resourceShare">The share of its resources the Job reserved, 0 to 1 (for example requested GPUs over the node's GPUs).</param>
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
}
