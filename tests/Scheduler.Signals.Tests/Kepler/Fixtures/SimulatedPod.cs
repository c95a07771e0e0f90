namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>A pod on a <see cref="SimulatedNode"/> (one container in the legacy schema); the test may change its power at any time.</summary>
public sealed class SimulatedPod
{
    private readonly SimulatedKepler _owner;
    private double _cpuWatts;
    private double _gpuWatts;

    internal SimulatedPod(SimulatedKepler owner, string podNamespace, string name, string uid, double cpuWatts, double gpuWatts)
    {
        _owner = owner;
        Namespace = podNamespace;
        Name = name;
        Uid = uid;
        _cpuWatts = SimulatedKepler.NonNegative(cpuWatts, nameof(cpuWatts));
        _gpuWatts = SimulatedKepler.NonNegative(gpuWatts, nameof(gpuWatts));
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name (also its single container's name in the legacy schema).</summary>
    public string Name { get; }

    /// <summary>The pod's UID (<c>pod_id</c>).</summary>
    public string Uid { get; }

    /// <summary>The legacy <c>container_id</c>: 64 hex digits derived from the UID.</summary>
    public string ContainerId => string.Concat(Enumerable.Repeat(Uid.Replace("-", string.Empty, StringComparison.Ordinal), 2));

    /// <summary>Where the pod is in its life.</summary>
    public SimulatedPodState State => _owner.Read(() => CurrentState);

    /// <summary>The CPU power Kepler attributes to it while it runs.</summary>
    public double CpuWatts
    {
        get => _cpuWatts;
        set => _owner.Change(() => _cpuWatts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>The GPU power Kepler attributes to it while it runs.</summary>
    public double GpuWatts
    {
        get => _gpuWatts;
        set => _owner.Change(() => _gpuWatts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>Its true CPU energy so far (not reset by Kepler restarts).</summary>
    public double TrueCpuJoules => _owner.Read(() => TrueCpu);

    /// <summary>Its true GPU energy so far (not reset by Kepler restarts).</summary>
    public double TrueGpuJoules => _owner.Read(() => TrueGpu);

    internal SimulatedPodState CurrentState { get; set; } = SimulatedPodState.Running;

    /// <summary>The power exported while it runs; a terminated pod draws nothing.</summary>
    internal double ExportedCpuWatts => CurrentState == SimulatedPodState.Running ? _cpuWatts : 0;

    internal double ExportedGpuWatts => CurrentState == SimulatedPodState.Running ? _gpuWatts : 0;

    internal double TrueCpu { get; private set; }

    internal double TrueGpu { get; private set; }

    internal double KeplerCpuJoules { get; private set; }

    internal double KeplerGpuJoules { get; private set; }

    internal double KeplerCpuMilliseconds { get; set; }

    internal void Advance(double seconds)
    {
        if (CurrentState != SimulatedPodState.Running)
        {
            return;
        }

        TrueCpu += _cpuWatts * seconds;
        TrueGpu += _gpuWatts * seconds;
        KeplerCpuJoules += _cpuWatts * seconds;
        KeplerGpuJoules += _gpuWatts * seconds;
    }

    internal void ResetKeplerCounters()
    {
        KeplerCpuJoules = 0;
        KeplerGpuJoules = 0;
        KeplerCpuMilliseconds = 0;
    }
}
