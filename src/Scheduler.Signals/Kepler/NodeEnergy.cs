namespace Scheduler.Signals.Kepler;

/// <summary>The energy a node's counters counted over a period.</summary>
/// <param name="Node">The node name.</param>
/// <param name="From">The first sample inside the period.</param>
/// <param name="To">The last sample inside the period.</param>
/// <param name="CpuJoules">CPU energy over the configured RAPL zones, wraps unwrapped, restarts repaired.</param>
/// <param name="GpuJoules">Energy per GPU index, from the devices' own counters.</param>
/// <param name="CounterRepairs">Wraps, restarts and glitches repaired.</param>
public sealed record NodeEnergy(
    string Node,
    DateTimeOffset From,
    DateTimeOffset To,
    MeasuredValue CpuJoules,
    IReadOnlyDictionary<string, MeasuredValue> GpuJoules,
    CounterRepairs CounterRepairs);
