namespace Scheduler.Signals.Kepler;

/// <summary>What Kepler says of one node now: its power over the reading window and its load.</summary>
/// <param name="Node">The Kubernetes node name.</param>
/// <param name="Schema">The Kepler schema the node's exporter speaks.</param>
/// <param name="At">The end of the reading window.</param>
/// <param name="CpuWatts">Mean CPU power (the configured RAPL zones, summed), from the energy counters; <c>null</c> when absent.</param>
/// <param name="CpuActiveWatts">Kepler's "active" CPU power; in 0.10+ total x usage ratio, in the legacy line total minus a minimum seen.</param>
/// <param name="CpuIdleWatts">Kepler's "idle" CPU power: a share of the total, not the node's idle baseline (see the model's baseline for that).</param>
/// <param name="CpuUtilisation">The node's CPU utilisation, 0..1, when it can be read.</param>
/// <param name="Cpus">Logical CPUs Kepler sees, when it can be read.</param>
/// <param name="CpuModel">The CPU model (0.10+: <c>model_name</c>) or architecture (legacy: <c>cpu_architecture</c>), when known.</param>
/// <param name="Gpus">The node's GPUs, by index.</param>
/// <param name="CounterRepairs">Wraps, restarts and glitches repaired while reading the counters.</param>
public sealed record NodeReading(
    string Node,
    KeplerSchema Schema,
    DateTimeOffset At,
    MeasuredValue? CpuWatts,
    MeasuredValue? CpuActiveWatts,
    MeasuredValue? CpuIdleWatts,
    double? CpuUtilisation,
    int? Cpus,
    string? CpuModel,
    IReadOnlyList<GpuReading> Gpus,
    CounterRepairs CounterRepairs)
{
    /// <summary>What identifies the node's hardware among its peers: CPU model and count, GPU product and count.</summary>
    public string HardwareKey =>
        $"{CpuModel ?? "?"}/{Cpus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}/{Gpus.Count}x{Gpus.Select(g => g.Product).FirstOrDefault(p => p is not null) ?? (Gpus.Count > 0 ? "?" : "-")}";
}
