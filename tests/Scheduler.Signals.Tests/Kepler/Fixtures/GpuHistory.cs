namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>A GPU in an <see cref="OpenMetricsHistory"/>: at each step it is either busy or idle.</summary>
/// <param name="IdleWatts">Its power when idle (also Kepler's idle baseline).</param>
/// <param name="BusyWatts">Its power when busy.</param>
/// <param name="BusyFraction">The chance (0 to 1) that a step is busy.</param>
/// <param name="ProductName">The product name in <c>gpu_name</c>.</param>
public sealed record GpuHistory(double IdleWatts, double BusyWatts, double BusyFraction, string ProductName = SimulatedNode.DefaultGpuName);
