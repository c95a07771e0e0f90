namespace Scheduler.Core.Power;

/// <summary>The power of one GPU of a node.</summary>
/// <param name="Product">The GPU product, e.g. <c>H100-SXM</c>.</param>
/// <param name="IdleWatts">Draw of an idle device, in watts.</param>
/// <param name="ActiveWatts">Typical draw while running a job, in watts.</param>
public sealed record GpuPowerProfile(string Product, double IdleWatts, double ActiveWatts);
