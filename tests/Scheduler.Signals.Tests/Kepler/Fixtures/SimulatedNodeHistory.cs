namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A node in an <see cref="OpenMetricsHistory"/> with a known power model: CPU (package + DRAM) power
/// <c>P(u) = IdleWatts + (WattsAtFullLoad − IdleWatts) · u^CurveExponent</c> at CPU utilisation <c>u</c>.
/// </summary>
/// <param name="Node">The node's name.</param>
/// <param name="Cpus">Its logical CPUs.</param>
/// <param name="IdleWatts">CPU power at zero utilisation.</param>
/// <param name="WattsAtFullLoad">CPU power at full utilisation.</param>
/// <param name="CurveExponent">The curve's shape: 1 is linear, above 1 bends upwards, below 1 saturates.</param>
/// <param name="Gpus">Its GPUs, by index.</param>
public sealed record SimulatedNodeHistory(string Node, int Cpus, double IdleWatts, double WattsAtFullLoad, double CurveExponent, IReadOnlyList<GpuHistory> Gpus)
{
    /// <summary>The model's CPU power at <paramref name="utilisation"/>.</summary>
    public double CpuWatts(double utilisation) =>
        IdleWatts + ((WattsAtFullLoad - IdleWatts) * (CurveExponent == 1 ? utilisation : Math.Pow(utilisation, CurveExponent)));
}
