using System.Globalization;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A node of a <see cref="SimulatedKepler"/>: RAPL package and DRAM power, CPU usage, GPUs and pods, all of which the
/// test may change at any time. A change takes effect at that moment: the energy up to it is counted at the old values.
/// </summary>
public sealed class SimulatedNode
{
    /// <summary>The GPU product name used when none is given.</summary>
    public const string DefaultGpuName = "NVIDIA H100 80GB HBM3";

    private readonly SimulatedKepler _owner;
    private readonly List<SimulatedGpu> _gpus = [];
    private readonly List<SimulatedPod> _pods = [];
    private double _packageWatts;
    private double _dramWatts;
    private double _usageRatio;

    internal SimulatedNode(SimulatedKepler owner, int index, string name, int cpus, string cpuModel, double packageWatts, double dramWatts, double usageRatio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        _owner = owner;
        OrdinalInSimulation = index;
        Name = name;
        Cpus = cpus;
        CpuModel = cpuModel;
        _packageWatts = SimulatedKepler.NonNegative(packageWatts, nameof(packageWatts));
        _dramWatts = SimulatedKepler.NonNegative(dramWatts, nameof(dramWatts));
        _usageRatio = Ratio(usageRatio);
    }

    /// <summary>The node's name (<c>node_name</c> in the rewrite, Kepler's own <c>instance</c> in the legacy schema).</summary>
    public string Name { get; }

    /// <summary>The number of logical CPUs (one <c>kepler_node_cpu_info</c> or <c>kepler_node_cpu_scaling_frequency_hertz</c> series each).</summary>
    public int Cpus { get; }

    /// <summary>The CPU model name in <c>kepler_node_cpu_info</c>.</summary>
    public string CpuModel { get; }

    /// <summary>The RAPL package zone's power now.</summary>
    public double PackageWatts
    {
        get => _packageWatts;
        set => _owner.Change(() => _packageWatts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>The RAPL DRAM zone's power now.</summary>
    public double DramWatts
    {
        get => _dramWatts;
        set => _owner.Change(() => _dramWatts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>The node's CPU usage ratio now (0 to 1), which splits energy into active and idle.</summary>
    public double UsageRatio
    {
        get => _usageRatio;
        set => _owner.Change(() => _usageRatio = Ratio(value));
    }

    /// <summary>The true package energy since the first scrape (never wrapped, never reset).</summary>
    public double TruePackageJoules => _owner.Read(() => TruePackage);

    /// <summary>The true DRAM energy since the first scrape (never wrapped, never reset).</summary>
    public double TrueDramJoules => _owner.Read(() => TrueDram);

    /// <summary>The node's GPUs, by index.</summary>
    public IReadOnlyList<SimulatedGpu> Gpus => _owner.Read(() => _gpus.ToArray());

    /// <summary>Every pod added to the node, whatever its state.</summary>
    public IReadOnlyList<SimulatedPod> Pods => _owner.Read(() => _pods.ToArray());

    internal int OrdinalInSimulation { get; }

    internal double TruePackage { get; private set; }

    internal double TrueDram { get; private set; }

    internal double KeplerActivePackage { get; private set; }

    internal double KeplerIdlePackage { get; private set; }

    internal double KeplerActiveDram { get; private set; }

    internal double KeplerIdleDram { get; private set; }

    /// <summary>Legacy BPF CPU time that no pod ran: what Kepler reports for its <c>system_processes</c> container.</summary>
    internal double KeplerSystemCpuMilliseconds { get; private set; }

    internal List<SimulatedGpu> GpuList => _gpus;

    internal List<SimulatedPod> PodList => _pods;

    /// <summary>Adds a GPU with the next index, drawing <paramref name="watts"/> of which <paramref name="idleWatts"/> count as idle.</summary>
    public SimulatedGpu AddGpu(double watts, double idleWatts, string productName = DefaultGpuName)
    {
        SimulatedGpu? gpu = null;
        _owner.Change(() =>
        {
            var uuid = string.Create(CultureInfo.InvariantCulture, $"GPU-{OrdinalInSimulation + 1:x8}-{_gpus.Count:x4}-4000-8000-000000000000");
            gpu = new SimulatedGpu(_owner, _gpus.Count, uuid, productName, watts, idleWatts);
            _gpus.Add(gpu);
        });
        return gpu!;
    }

    /// <summary>
    /// Adds a running pod drawing <paramref name="cpuWatts"/> and <paramref name="gpuWatts"/> from now on. Without a
    /// <paramref name="uid"/> it gets a deterministic one.
    /// </summary>
    public SimulatedPod AddPod(string podNamespace, string name, double cpuWatts, double gpuWatts = 0, string? uid = null)
    {
        SimulatedPod? pod = null;
        _owner.Change(() =>
        {
            if (_pods.Any(p => p.CurrentState != SimulatedPodState.Gone && p.Namespace == podNamespace && p.Name == name))
            {
                throw new InvalidOperationException($"Pod {podNamespace}/{name} already exists on {Name}.");
            }

            pod = new SimulatedPod(_owner, podNamespace, name, uid ?? _owner.NextPodUid(), cpuWatts, gpuWatts);
            _pods.Add(pod);
        });
        return pod!;
    }

    /// <summary>
    /// Ends <paramref name="pod"/> now: it stops drawing power, the next rendered scrape exports it once with
    /// <c>state="terminated"</c> and its final counters, and later scrapes no longer export it, as real Kepler does.
    /// </summary>
    public void Terminate(SimulatedPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        _owner.Change(() =>
        {
            if (!_pods.Contains(pod))
            {
                throw new ArgumentException($"Pod {pod.Namespace}/{pod.Name} is not on {Name}.", nameof(pod));
            }

            if (pod.CurrentState == SimulatedPodState.Running)
            {
                pod.CurrentState = SimulatedPodState.Terminated;
            }
        });
    }

    internal void Advance(double seconds)
    {
        var package = _packageWatts * seconds;
        var dram = _dramWatts * seconds;
        TruePackage += package;
        TrueDram += dram;

        // Kepler's split (kepler.md §1.3): active = delta × usage ratio, idle = the rest. The legacy dynamic/idle
        // counters are rendered from the same split.
        KeplerActivePackage += package * _usageRatio;
        KeplerIdlePackage += package - (package * _usageRatio);
        KeplerActiveDram += dram * _usageRatio;
        KeplerIdleDram += dram - (dram * _usageRatio);

        foreach (var gpu in _gpus)
        {
            gpu.Advance(seconds);
        }

        // Legacy BPF CPU time: usage × CPUs × 1000 ms per second, shared evenly by the running pods.
        var cpuMilliseconds = _usageRatio * Cpus * 1000 * seconds;
        var running = _pods.Where(p => p.CurrentState == SimulatedPodState.Running).ToList();
        foreach (var pod in running)
        {
            pod.Advance(seconds);
            pod.KeplerCpuMilliseconds += cpuMilliseconds / running.Count;
        }

        if (running.Count == 0)
        {
            KeplerSystemCpuMilliseconds += cpuMilliseconds;
        }
    }

    internal void RestartKepler()
    {
        KeplerActivePackage = 0;
        KeplerIdlePackage = 0;
        KeplerActiveDram = 0;
        KeplerIdleDram = 0;
        KeplerSystemCpuMilliseconds = 0;
        foreach (var gpu in _gpus)
        {
            gpu.ResetKeplerCounters();
        }

        foreach (var pod in _pods)
        {
            // A restarted Kepler never saw the pods that ended before it started, and counts running ones from zero.
            if (pod.CurrentState == SimulatedPodState.Terminated)
            {
                pod.CurrentState = SimulatedPodState.Gone;
            }

            pod.ResetKeplerCounters();
        }
    }

    private static double Ratio(double value) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A usage ratio lies between 0 and 1.");
}
