using System.Globalization;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A deterministic Kepler on one or more nodes, rendering the <c>/metrics</c> text of one schema
/// (<see cref="KeplerSchemaVersion"/>), with known power that the test changes while Prometheus scrapes.
/// </summary>
/// <remarks>
/// <para>
/// Time: <see cref="OnScrape"/> advances every counter by watts × the time elapsed since the previous scrape (or since the
/// last change to a node, GPU or pod, which counts the energy up to the change at the old values); the first scrape adds
/// nothing. <see cref="Freeze"/> stops the clock so values stay constant.
/// </para>
/// <para>
/// Counters: the true energies never wrap or reset and are kept in <see cref="ServedScrapes"/>. In the rewrite schema
/// <c>kepler_node_cpu_joules_total</c> is the raw RAPL counter: <see cref="RaplStartJoules"/> plus the true zone energy,
/// modulo <see cref="WrapJoules"/>; <c>kepler_node_gpu_joules_total</c> is the true GPU energy (NVML's hardware counter).
/// Every other counter is accumulated by Kepler: it never wraps and restarts from zero on <see cref="RestartKepler"/>.
/// </para>
/// <para>All members are thread-safe: Kestrel renders on pool threads while the test changes and reads the simulation.</para>
/// </remarks>
public sealed class SimulatedKepler
{
    /// <summary>The range of a real RAPL energy counter (<c>max_energy_range_uj</c> = 262143328850 µJ).</summary>
    public const double HardwareWrapJoules = 262143.32885;

    /// <summary>The CPU model name used when none is given.</summary>
    public const string DefaultCpuModel = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz";

    private static readonly (string Name, string Value)[] RewriteBuildLabels =
        [("arch", "amd64"), ("branch", "main"), ("goversion", "go1.24.4"), ("revision", "abc"), ("version", "v0.11.4")];

    private static readonly (string Name, string Value)[] LegacyBuildLabels =
    [
        ("branch", string.Empty), ("goarch", "amd64"), ("goos", "linux"), ("goversion", "go1.21.9"), ("revision", "unknown"),
        ("tags", "include_gcs,include_oss,containers_image_openpgp,gssapi,providerless,netgo,osusergo,libbpf,linux,gpu"), ("version", string.Empty),
    ];

    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly List<SimulatedNode> _nodes = [];
    private readonly List<ServedScrape> _served = [];
    private long? _clockAt;
    private bool _frozen;
    private int _podUids;

    /// <summary>Creates a simulation without nodes.</summary>
    /// <param name="schema">The schema to render.</param>
    /// <param name="wrapJoules">Where the rewrite's raw RAPL counter wraps; small values (e.g. 500 J) make wraps happen within seconds.</param>
    /// <param name="raplStartJoules">The raw RAPL counter of each zone at the first scrape, since RAPL counts from boot.</param>
    /// <param name="time">The clock (a fake one for tests that render without Prometheus); the system clock by default.</param>
    public SimulatedKepler(KeplerSchemaVersion schema, double wrapJoules = HardwareWrapJoules, double raplStartJoules = 0, TimeProvider? time = null)
    {
        if (!(wrapJoules > 0) || double.IsInfinity(wrapJoules))
        {
            throw new ArgumentOutOfRangeException(nameof(wrapJoules), wrapJoules, "The wrap must be a positive number of joules.");
        }

        Schema = schema;
        WrapJoules = wrapJoules;
        RaplStartJoules = NonNegative(raplStartJoules, nameof(raplStartJoules));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The schema rendered.</summary>
    public KeplerSchemaVersion Schema { get; }

    /// <summary>Where the rewrite's raw RAPL counter <c>kepler_node_cpu_joules_total</c> wraps to zero.</summary>
    public double WrapJoules { get; }

    /// <summary>The raw RAPL counter of each zone at the first scrape.</summary>
    public double RaplStartJoules { get; }

    /// <summary>The nodes, in the order they were added.</summary>
    public IReadOnlyList<SimulatedNode> Nodes => Read(() => _nodes.ToArray());

    /// <summary>Every scrape rendered so far, oldest first.</summary>
    public IReadOnlyList<ServedScrape> ServedScrapes => Read(() => _served.ToArray());

    /// <summary>Whether the clock is stopped.</summary>
    public bool IsFrozen => Read(() => _frozen);

    /// <summary>The number of <see cref="RestartKepler"/> calls.</summary>
    public int Restarts { get; private set; }

    /// <summary>Adds a node with <paramref name="cpus"/> CPUs drawing the given power at <paramref name="usageRatio"/> CPU usage.</summary>
    public SimulatedNode AddNode(string name, int cpus, double packageWatts, double dramWatts, double usageRatio = 0.5, string cpuModel = DefaultCpuModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        SimulatedNode? node = null;
        Change(() =>
        {
            if (_nodes.Any(n => n.Name == name))
            {
                throw new InvalidOperationException($"Node {name} already exists.");
            }

            node = new SimulatedNode(this, _nodes.Count, name, cpus, cpuModel, packageWatts, dramWatts, usageRatio);
            _nodes.Add(node);
        });
        return node!;
    }

    /// <summary>The node named <paramref name="name"/>.</summary>
    public SimulatedNode Node(string name) => Read(() => _nodes.Single(n => n.Name == name));

    /// <summary>Advances every counter by the real time elapsed since the previous scrape, unless frozen; the first call starts the clock.</summary>
    public void OnScrape()
    {
        lock (_sync)
        {
            CatchUp();
            _clockAt ??= _time.GetTimestamp();
        }
    }

    /// <summary>Advances every counter by <paramref name="elapsed"/> at the current power, whatever the clock says (even when frozen).</summary>
    public void Advance(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        Change(() => AdvanceBy(elapsed.TotalSeconds));
    }

    /// <summary>
    /// Renders the exposition text of one scrape and records it in <see cref="ServedScrapes"/>; pods terminated
    /// since the previous scrape are exported this once with <c>state="terminated"</c> and then gone.
    /// </summary>
    public string RenderScrape()
    {
        lock (_sync)
        {
            var text = Schema == KeplerSchemaVersion.Rewrite ? RenderRewrite() : RenderLegacy();
            var nodes = _nodes.Select(node => new ServedNode(
                node.Name,
                node.TruePackage,
                node.TrueDram,
                [.. node.GpuList.Select(g => g.HardwareJoules)],
                [.. node.PodList.Select(p => new ServedPod(p.Namespace, p.Name, p.Uid, p.CurrentState, p.TrueCpu, p.TrueGpu))])).ToArray();
            _served.Add(new ServedScrape(_served.Count + 1, _time.GetUtcNow(), nodes, text));
            foreach (var pod in _nodes.SelectMany(n => n.PodList).Where(p => p.CurrentState == SimulatedPodState.Terminated))
            {
                pod.CurrentState = SimulatedPodState.Gone;
            }

            return text;
        }
    }

    /// <summary>What the exporter does on each request: <see cref="OnScrape"/> then <see cref="RenderScrape"/>, atomically.</summary>
    public string Scrape()
    {
        lock (_sync)
        {
            OnScrape();
            return RenderScrape();
        }
    }

    /// <summary>Stops the clock: the counters keep their values until <see cref="Resume"/>.</summary>
    public void Freeze() => Change(() => _frozen = true);

    /// <summary>Restarts the clock from now; the frozen time is not counted.</summary>
    public void Resume()
    {
        lock (_sync)
        {
            _frozen = false;
            if (_clockAt is not null)
            {
                _clockAt = _time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// A Kepler restart: every counter Kepler accumulates restarts from zero (rewrite: CPU active/idle, GPU active/idle
    /// and pod counters; legacy: every joules counter and the BPF CPU time), terminated pods are forgotten and running
    /// pods count from zero. The hardware counters (rewrite <c>kepler_node_cpu_joules_total</c> and
    /// <c>kepler_node_gpu_joules_total</c>) and the true energies carry on.
    /// </summary>
    public void RestartKepler() => Change(() =>
    {
        foreach (var node in _nodes)
        {
            node.RestartKepler();
        }

        Restarts++;
    });

    internal static double NonNegative(double value, string name) =>
        value >= 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(name, value, "Power and energy must be finite and not negative.");

    /// <summary>Applies a change at this moment: the energy up to now is counted at the old values first.</summary>
    internal void Change(Action change)
    {
        lock (_sync)
        {
            CatchUp();
            change();
        }
    }

    internal T Read<T>(Func<T> read)
    {
        lock (_sync)
        {
            return read();
        }
    }

    internal string NextPodUid() => string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{++_podUids:x12}");

    private static (string Name, string Value) Label(string name, string value) => (name, value);

    private static (string Name, string Value) Label(string name, int value) => (name, value.ToString(CultureInfo.InvariantCulture));

    private void CatchUp()
    {
        if (_clockAt is not { } since)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (!_frozen)
        {
            AdvanceBy(_time.GetElapsedTime(since, now).TotalSeconds);
        }

        _clockAt = now;
    }

    private void AdvanceBy(double seconds)
    {
        foreach (var node in _nodes)
        {
            node.Advance(seconds);
        }
    }

    private string RenderRewrite()
    {
        var w = new ExpositionWriter();
        w.Family("kepler_build_info", "gauge", "A metric with a constant '1' value labeled with version, revision, branch, goversion, and arch from which kepler was built.");
        w.Sample(1, RewriteBuildLabels);

        var zones = _nodes.SelectMany(n => new[]
        {
            (Node: n, Zone: "package", Path: "/sys/class/powercap/intel-rapl:0", Watts: n.PackageWatts, True: n.TruePackage, Active: n.KeplerActivePackage, Idle: n.KeplerIdlePackage),
            (Node: n, Zone: "dram", Path: "/sys/class/powercap/intel-rapl:0:0", Watts: n.DramWatts, True: n.TrueDram, Active: n.KeplerActiveDram, Idle: n.KeplerIdleDram),
        }).ToList();

        void ZoneFamily(string name, string type, string help, Func<(SimulatedNode Node, string Zone, string Path, double Watts, double True, double Active, double Idle), double> value)
        {
            w.Family(name, type, help);
            foreach (var z in zones)
            {
                w.Sample(value(z), Label("node_name", z.Node.Name), Label("path", z.Path), Label("zone", z.Zone));
            }
        }

        ZoneFamily("kepler_node_cpu_joules_total", "counter", "Energy consumption of cpu at node level in joules", z => (RaplStartJoules + z.True) % WrapJoules);
        ZoneFamily("kepler_node_cpu_active_joules_total", "counter", "Energy consumption of cpu in active state at node level in joules", z => z.Active);
        ZoneFamily("kepler_node_cpu_idle_joules_total", "counter", "Energy consumption of cpu in idle state at node level in joules", z => z.Idle);
        ZoneFamily("kepler_node_cpu_watts", "gauge", "Power consumption of cpu at node level in watts", z => z.Watts);
        ZoneFamily("kepler_node_cpu_active_watts", "gauge", "Power consumption of cpu in active state at node level in watts", z => z.Watts * z.Node.UsageRatio);
        ZoneFamily("kepler_node_cpu_idle_watts", "gauge", "Power consumption of cpu in idle state at node level in watts", z => z.Watts - (z.Watts * z.Node.UsageRatio));

        w.Family("kepler_node_cpu_usage_ratio", "gauge", "CPU usage ratio of a node (value between 0.0 and 1.0)");
        foreach (var node in _nodes)
        {
            w.Sample(node.UsageRatio, Label("node_name", node.Name));
        }

        // kepler_node_cpu_info has no node_name, so nodes served by one exporter would give identical series;
        // each distinct label set is exported once (a per-node CPU count needs one exporter per node).
        w.Family("kepler_node_cpu_info", "gauge", "CPU information from procfs");
        var cpuInfo = new HashSet<(int, string)>();
        foreach (var node in _nodes)
        {
            for (var cpu = 0; cpu < node.Cpus; cpu++)
            {
                if (cpuInfo.Add((cpu, node.CpuModel)))
                {
                    w.Sample(1, Label("core_id", cpu), Label("model_name", node.CpuModel), Label("physical_id", "0"), Label("processor", cpu), Label("vendor_id", "GenuineIntel"));
                }
            }
        }

        var gpus = _nodes.SelectMany(n => n.GpuList.Select(g => (Node: n, Gpu: g))).ToList();

        void GpuFamily(string name, string type, string help, Func<SimulatedGpu, double> value)
        {
            w.Family(name, type, help);
            foreach (var (node, gpu) in gpus)
            {
                w.Sample(value(gpu), Label("gpu", gpu.Index), Label("gpu_name", gpu.ProductName), Label("gpu_uuid", gpu.Uuid), Label("node_name", node.Name), Label("vendor", "nvidia"));
            }
        }

        GpuFamily("kepler_node_gpu_joules_total", "counter", "Energy consumption of gpu at node level in joules", g => g.HardwareJoules);
        GpuFamily("kepler_node_gpu_active_joules_total", "counter", "Energy consumption of gpu in active state at node level in joules", g => g.KeplerActiveJoules);
        GpuFamily("kepler_node_gpu_idle_joules_total", "counter", "Energy consumption of gpu in idle state at node level in joules", g => g.KeplerIdleJoules);
        GpuFamily("kepler_node_gpu_watts", "gauge", "Power consumption of gpu at node level in watts", g => g.Watts);
        GpuFamily("kepler_node_gpu_idle_watts", "gauge", "Power consumption of gpu in idle state at node level in watts", g => Math.Min(g.Watts, g.IdleWatts));
        GpuFamily("kepler_node_gpu_active_watts", "gauge", "Power consumption of gpu in active state at node level in watts", g => g.ActiveWatts);

        var pods = _nodes.SelectMany(n => n.PodList.Where(p => p.CurrentState != SimulatedPodState.Gone).Select(p => (Node: n, Pod: p))).ToList();

        void PodFamily(string name, string type, string help, bool withZone, Func<SimulatedPod, double> value, bool onlyPositive)
        {
            w.Family(name, type, help);
            foreach (var (node, pod) in pods)
            {
                var v = value(pod);
                if (onlyPositive && !(v > 0))
                {
                    continue;
                }

                (string, string)[] labels =
                [
                    Label("node_name", node.Name), Label("pod_id", pod.Uid), Label("pod_name", pod.Name), Label("pod_namespace", pod.Namespace),
                    Label("state", pod.CurrentState == SimulatedPodState.Running ? "running" : "terminated"),
                ];
                w.Sample(v, withZone ? [.. labels, Label("zone", "package")] : labels);
            }
        }

        PodFamily("kepler_pod_cpu_joules_total", "counter", "Energy consumption of cpu at pod level in joules", withZone: true, p => p.KeplerCpuJoules, onlyPositive: false);
        PodFamily("kepler_pod_cpu_watts", "gauge", "Power consumption of cpu at pod level in watts", withZone: true, p => p.ExportedCpuWatts, onlyPositive: false);

        // Real Kepler emits the GPU series of a workload only when the value is above zero.
        PodFamily("kepler_pod_gpu_joules_total", "counter", "Energy consumption of gpu at pod level in joules", withZone: false, p => p.KeplerGpuJoules, onlyPositive: true);
        PodFamily("kepler_pod_gpu_watts", "gauge", "Power consumption of gpu at pod level in watts", withZone: false, p => p.ExportedGpuWatts, onlyPositive: true);
        return w.ToString();
    }

    private string RenderLegacy()
    {
        var w = new ExpositionWriter();
        w.Family("kepler_exporter_build_info", "gauge", "A metric with a constant '1' value labeled by version, revision, branch, goversion from which kepler_exporter was built, and the goos and goarch for the build.");
        w.Sample(1, LegacyBuildLabels);

        w.Family("kepler_node_info", "gauge", "Labeled node information");
        w.Sample(1, Label("components_power_source", "rapl-sysfs"), Label("cpu_architecture", "Broadwell"), Label("platform_power_source", "acpi"), Label("source", "os"));

        // How a reader counts CPUs in the legacy schema: one series per CPU, with the node in Kepler's own instance label.
        w.Family("kepler_node_cpu_scaling_frequency_hertz", "gauge", "Current CPU scaling frequency in hertz");
        foreach (var node in _nodes)
        {
            var hertz = Math.Round(1.2e9 + (1.8e9 * node.UsageRatio));
            for (var cpu = 0; cpu < node.Cpus; cpu++)
            {
                w.Sample(hertz, Label("cpu", cpu), Label("instance", node.Name));
            }
        }

        void ZoneFamily(string name, string component, Func<SimulatedNode, double> dynamic, Func<SimulatedNode, double> idle)
        {
            w.Family(name, "counter", $"Aggregated value in {component} value from rapl-sysfs");
            foreach (var node in _nodes)
            {
                w.Sample(dynamic(node), Label("instance", node.Name), Label("mode", "dynamic"), Label("package", "0"), Label("source", "rapl-sysfs"));
                w.Sample(idle(node), Label("instance", node.Name), Label("mode", "idle"), Label("package", "0"), Label("source", "rapl-sysfs"));
            }
        }

        ZoneFamily("kepler_node_package_joules_total", "package", n => n.KeplerActivePackage, n => n.KeplerIdlePackage);
        ZoneFamily("kepler_node_dram_joules_total", "dram", n => n.KeplerActiveDram, n => n.KeplerIdleDram);

        w.Family("kepler_node_gpu_joules_total", "counter", "Aggregated value in gpu value from nvidia");
        foreach (var node in _nodes)
        {
            foreach (var gpu in node.GpuList)
            {
                w.Sample(gpu.KeplerActiveJoules, Label("index", gpu.Index), Label("instance", node.Name), Label("mode", "dynamic"), Label("source", "nvidia"));
                w.Sample(gpu.KeplerIdleJoules, Label("index", gpu.Index), Label("instance", node.Name), Label("mode", "idle"), Label("source", "nvidia"));
            }
        }

        // Container series carry no node label of their own; a multi-node legacy test gives each node its own exporter.
        var pods = _nodes.SelectMany(n => n.PodList).Where(p => p.CurrentState != SimulatedPodState.Gone).ToList();
        static (string, string)[] ContainerLabels(SimulatedPod pod) =>
            [Label("container_id", pod.ContainerId), Label("container_name", pod.Name), Label("container_namespace", pod.Namespace), Label("pod_name", pod.Name)];

        w.Family("kepler_container_joules_total", "counter", "Aggregated RAPL Package + Uncore + DRAM + GPU + other host components (platform - package - dram) in joules");
        foreach (var pod in pods)
        {
            w.Sample(pod.KeplerCpuJoules + pod.KeplerGpuJoules, [.. ContainerLabels(pod), Label("mode", "dynamic"), Label("source", string.Empty)]);
            w.Sample(0, [.. ContainerLabels(pod), Label("mode", "idle"), Label("source", string.Empty)]);
        }

        // The GPU share of that total, as legacy Kepler exports it beside the total.
        w.Family("kepler_container_gpu_joules_total", "counter", "Aggregated value in gpu value from nvidia");
        foreach (var pod in pods)
        {
            w.Sample(pod.KeplerGpuJoules, [.. ContainerLabels(pod), Label("mode", "dynamic"), Label("source", "nvidia")]);
            w.Sample(0, [.. ContainerLabels(pod), Label("mode", "idle"), Label("source", "nvidia")]);
        }

        // The CPU time no pod ran goes to Kepler's system_processes container; with several nodes in one exporter it is their sum.
        w.Family("kepler_container_bpf_cpu_time_ms_total", "counter", "Aggregated value in bpf_cpu_time_ms value from bpf");
        foreach (var pod in pods)
        {
            w.Sample(pod.KeplerCpuMilliseconds, [.. ContainerLabels(pod), Label("source", "bpf")]);
        }

        w.Sample(
            _nodes.Sum(n => n.KeplerSystemCpuMilliseconds),
            Label("container_id", "system_processes"), Label("container_name", "system_processes"), Label("container_namespace", "system"), Label("pod_name", "system_processes"), Label("source", "bpf"));
        return w.ToString();
    }
}
