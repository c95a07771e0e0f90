namespace Scheduler.Signals.Kepler;

/// <summary>The energy Kepler attributed to one pod over its life (or the part of it in the window asked).</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="PodUid">The pod's UID, when Kepler gives it (0.10+: <c>pod_id</c>).</param>
/// <param name="CpuJoules">CPU energy (the configured RAPL zones). In 0.10+ this excludes idle power, which Kepler does not attribute to workloads.</param>
/// <param name="GpuJoules">GPU energy (0 when the pod used none).</param>
/// <param name="FirstSeen">The first sample of the pod's counters.</param>
/// <param name="LastSeen">The last sample of the pod's counters (the terminated sample, for a finished pod).</param>
/// <param name="Terminated">Whether Kepler reported the pod terminated (0.10+ only).</param>
/// <param name="CounterRepairs">Restarts and glitches repaired while reading the counters.</param>
public sealed record PodEnergy(
    string Namespace,
    string Pod,
    string? PodUid,
    MeasuredValue CpuJoules,
    MeasuredValue GpuJoules,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    bool Terminated,
    CounterRepairs CounterRepairs)
{
    /// <summary>CPU and GPU energy together.</summary>
    public MeasuredValue TotalJoules => CpuJoules + GpuJoules;
}
