namespace Scheduler.Core.Power;

/// <summary>How much power a node draws, from which its marginal power for a pod is estimated.</summary>
/// <param name="CpuCores">Allocatable CPU cores of the node.</param>
/// <param name="CpuIdleWatts">CPU package power of the idle node, in watts.</param>
/// <param name="CpuMaxWatts">CPU package power with every core busy, in watts.</param>
/// <param name="Gpu">The node's GPU model, or <c>null</c> without GPUs.</param>
/// <param name="Source">Where the figures come from.</param>
/// <param name="Model">A short name of the model used (instance type, CPU class or <c>kepler</c>), for reasons.</param>
public sealed record NodePowerProfile(
    double CpuCores,
    double CpuIdleWatts,
    double CpuMaxWatts,
    GpuPowerProfile? Gpu,
    PowerSource Source,
    string Model)
{
    /// <summary>
    /// The CPU power curve fitted from measurements, or <c>null</c> for a straight line from
    /// <see cref="CpuIdleWatts"/> to <see cref="CpuMaxWatts"/>.
    /// </summary>
    public PowerCurve? CpuCurve { get; init; }

    /// <summary>The node's CPU utilisation now (0..1), where the curve's slope is taken; 0 when unknown.</summary>
    public double CpuUtilisation { get; init; }

    /// <summary>The CPU power that work adds on top of idle when every core is busy, in watts.</summary>
    public double CpuDynamicWatts => Math.Max(0, CpuMaxWatts - CpuIdleWatts);

    /// <summary>
    /// The marginal power of a pod on this node, in watts: what its CPU request adds to the node's
    /// CPU power from where the node runs now, plus the active power of each GPU it requests.
    /// </summary>
    /// <param name="cpuCores">CPU cores requested.</param>
    /// <param name="gpus">GPUs requested.</param>
    public double MarginalWatts(double cpuCores, double gpus)
    {
        var cpuShare = CpuCores > 0 ? Math.Min(1, cpuCores / CpuCores) : 0;
        var cpuWatts = CpuCurve is { } curve
            ? curve.Added(CpuUtilisation, cpuShare)
            : cpuShare * CpuDynamicWatts;
        var gpuWatts = gpus > 0 && Gpu is not null ? gpus * Gpu.ActiveWatts : 0;
        return cpuWatts + gpuWatts;
    }
}
