namespace Scheduler.Core.Accounting;

/// <summary>The embodied emissions of the host a node runs on, when the hardware model knows them.</summary>
/// <param name="TotalKgCo2e">Total embodied emissions of the whole host (manufacture and disposal), kgCO2eq.</param>
/// <param name="PlatformVcpus">vCPUs of the whole host, over which the total is shared.</param>
/// <param name="PlatformGpus">GPUs of the whole host, or 0 when its total counts no GPUs.</param>
/// <param name="Lifespan">The host's expected life in service.</param>
/// <param name="Model">The hardware model entry the figures come from (an instance type or family), for reasons.</param>
public sealed record EmbodiedHardware(double TotalKgCo2e, double PlatformVcpus, int PlatformGpus, TimeSpan Lifespan, string Model)
{
    /// <summary>
    /// The embodied share of a pod on this host, gCO2eq; see
    /// <see cref="EmbodiedEmissions.ForPod(double, double, TimeSpan, double, TimeSpan, double, double)"/>.
    /// </summary>
    /// <param name="requestedVcpus">vCPUs the pod requests.</param>
    /// <param name="requestedGpus">GPUs the pod requests.</param>
    /// <param name="reserved">How long the pod held them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative.</exception>
    public double GramsFor(double requestedVcpus, double requestedGpus, TimeSpan reserved) =>
        EmbodiedEmissions.ForPod(TotalKgCo2e, PlatformVcpus, Lifespan, requestedVcpus, reserved, requestedGpus, PlatformGpus);
}
