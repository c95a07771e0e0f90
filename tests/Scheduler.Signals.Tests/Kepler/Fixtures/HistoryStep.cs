namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// One step of a node's true history. Its power held over the step that ends at <see cref="Time"/>, so each counter
/// grows by power × step between the previous step and this one; the counters are zero at the first step.
/// </summary>
/// <param name="Time">The sample time.</param>
/// <param name="Utilisation">CPU utilisation (0 to 1), as <c>kepler_node_cpu_usage_ratio</c> or the legacy BPF CPU time give it.</param>
/// <param name="CpuWatts">Package plus DRAM power, from <see cref="SimulatedNodeHistory.CpuWatts"/>.</param>
/// <param name="PackageWatts">The package zone's share.</param>
/// <param name="DramWatts">The DRAM zone's share (<see cref="OpenMetricsHistory.DramShare"/>).</param>
/// <param name="GpuWatts">Each GPU's power.</param>
/// <param name="CpuJoules">Package plus DRAM energy from the first step to this one.</param>
/// <param name="GpuJoules">Each GPU's energy from the first step to this one.</param>
public sealed record HistoryStep(
    DateTimeOffset Time,
    double Utilisation,
    double CpuWatts,
    double PackageWatts,
    double DramWatts,
    IReadOnlyList<double> GpuWatts,
    double CpuJoules,
    IReadOnlyList<double> GpuJoules);
