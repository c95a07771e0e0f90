using System.Globalization;
using System.Text;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// Days of Kepler history for <see cref="PrometheusServerOptions.BackfillOpenMetrics"/> (or, when large,
/// <see cref="PrometheusServerOptions.BackfillFile"/>), in either schema, from nodes with a known power model, so a test
/// can check a model fitted from Prometheus against <see cref="SimulatedNodeHistory"/> and the true steps (<see cref="Steps"/>).
/// </summary>
/// <remarks>
/// <para>
/// Utilisation is drawn per step from a <see cref="Random"/> seeded with the seed and the node's position: a daily
/// pattern (lowest about 04:00 UTC, highest about 16:00) with noise, covering 0 to 1. Every day the steps from
/// 03:00 UTC for 30 minutes (or one step, if longer) are near 0 (u &lt; 0.01), so a low quantile of power is the idle
/// power, and the steps from 14:00 UTC likewise are near 1. GPUs are busy at a step with their busy fraction.
/// </para>
/// <para>
/// The series are those the live <see cref="SimulatedKepler"/> renders, with the target labels Prometheus would have
/// added: <c>job</c> (<see cref="Job"/>) and <c>instance</c> = <c>&lt;node&gt;:28282</c> (rewrite) or <c>&lt;node&gt;:9102</c>
/// (legacy). Rewrite: <c>kepler_build_info</c>, <c>kepler_node_cpu_joules_total</c> (raw RAPL, never wrapping),
/// <c>kepler_node_cpu_active_joules_total</c>, <c>kepler_node_cpu_idle_joules_total</c> (zones package and dram),
/// <c>kepler_node_cpu_usage_ratio</c>, and per GPU <c>kepler_node_gpu_joules_total</c>, <c>_active_joules_total</c>,
/// <c>_idle_joules_total</c>, <c>kepler_node_gpu_watts</c> and <c>_idle_watts</c>. Legacy: <c>kepler_exporter_build_info</c>,
/// <c>kepler_node_info</c>, <c>kepler_node_cpu_scaling_frequency_hertz</c> per CPU, <c>kepler_node_package_joules_total</c>
/// and <c>kepler_node_dram_joules_total</c> (dynamic/idle), <c>kepler_node_gpu_joules_total</c> (dynamic/idle) and the
/// <c>system_processes</c> container's <c>kepler_container_bpf_cpu_time_ms_total</c>; the node is in
/// <c>exported_instance</c>, or in <c>instance</c> when <see cref="HonorLabels"/> is set.
/// </para>
/// <para>
/// OpenMetrics as promtool 2.42 imports it: each family's samples are contiguous (promtool 2.42 does not check this,
/// but the format requires it); every sample has a timestamp in seconds (fractions allowed); the text ends with
/// <c># EOF</c> (promtool fails with "data does not end with # EOF" otherwise). A counter family is declared without
/// the suffix (<c># TYPE kepler_node_cpu_joules counter</c>) and its samples carry it (<c>kepler_node_cpu_joules_total</c>);
/// promtool 2.42 would also take the suffix in the TYPE line, <c>unknown</c> or no TYPE at all, since it stores only
/// the samples. Info-like series are written as gauges.
/// </para>
/// </remarks>
public sealed class OpenMetricsHistory
{
    /// <summary>The share of CPU power in the DRAM zone; the package zone has the rest.</summary>
    public const double DramShare = 0.1;

    private static readonly TimeSpan QuietHour = TimeSpan.FromHours(3);
    private static readonly TimeSpan FullLoadHour = TimeSpan.FromHours(14);

    private readonly double[][] _utilisation;
    private readonly bool[][][] _gpuBusy;

    /// <summary>Draws the history of <paramref name="nodes"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <param name="schema">The schema to write.</param>
    /// <param name="nodes">The nodes and their power models.</param>
    /// <param name="start">The first step.</param>
    /// <param name="end">No step lies after it.</param>
    /// <param name="step">The spacing of the steps; 5 minutes by default.</param>
    /// <param name="seed">Selects the random utilisation.</param>
    public OpenMetricsHistory(KeplerSchemaVersion schema, IReadOnlyList<SimulatedNodeHistory> nodes, DateTimeOffset start, DateTimeOffset end, TimeSpan? step = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Step = step ?? TimeSpan.FromMinutes(5);
        if (Step < TimeSpan.FromMilliseconds(1) || Step.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), Step, "The step must be a positive whole number of milliseconds.");
        }

        if (end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, "The end lies before the start.");
        }

        if (nodes.Select(n => n.Node).Distinct(StringComparer.Ordinal).Count() != nodes.Count)
        {
            throw new ArgumentException("Node names must be unique.", nameof(nodes));
        }

        Schema = schema;
        Nodes = nodes;
        Start = start;
        End = end;
        Seed = seed;
        StepCount = checked((int)((end - start).Ticks / Step.Ticks) + 1);
        _utilisation = new double[nodes.Count][];
        _gpuBusy = new bool[nodes.Count][][];

        // At least one step a day falls in each window, however long the step.
        var window = Step > TimeSpan.FromMinutes(30) ? Step : TimeSpan.FromMinutes(30);
        for (var n = 0; n < nodes.Count; n++)
        {
            var random = new Random(unchecked((seed * 7919) + (n * 104729) + 17));
            _utilisation[n] = new double[StepCount];
            for (var i = 0; i < StepCount; i++)
            {
                _utilisation[n][i] = Utilisation(TimeAt(i), window, random);
            }

            _gpuBusy[n] = new bool[nodes[n].Gpus.Count][];
            for (var g = 0; g < nodes[n].Gpus.Count; g++)
            {
                var busyFraction = nodes[n].Gpus[g].BusyFraction;
                _gpuBusy[n][g] = new bool[StepCount];
                for (var i = 0; i < StepCount; i++)
                {
                    _gpuBusy[n][g][i] = random.NextDouble() < busyFraction;
                }
            }
        }
    }

    /// <summary>The schema written.</summary>
    public KeplerSchemaVersion Schema { get; }

    /// <summary>The nodes.</summary>
    public IReadOnlyList<SimulatedNodeHistory> Nodes { get; }

    /// <summary>The first step.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The end given; the last step is the latest step time not after it.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The spacing of the steps.</summary>
    public TimeSpan Step { get; }

    /// <summary>The seed of the utilisation.</summary>
    public int Seed { get; }

    /// <summary>The number of steps, hence of samples per series.</summary>
    public int StepCount { get; }

    /// <summary>The <c>job</c> label of every series.</summary>
    public string Job { get; init; } = "kepler";

    /// <summary>
    /// Legacy only: whether the history looks as if scraped with <c>honor_labels: true</c> (the node in <c>instance</c>)
    /// rather than Prometheus' default (the node in <c>exported_instance</c>, the target address in <c>instance</c>).
    /// </summary>
    public bool HonorLabels { get; init; }

    /// <summary>The time of step <paramref name="index"/>.</summary>
    public DateTimeOffset TimeAt(int index) => Start + (Step * index);

    /// <summary>The scrape address Prometheus would have put in <c>instance</c> for <paramref name="node"/>.</summary>
    public string TargetOf(string node) => Schema == KeplerSchemaVersion.Rewrite ? $"{node}:28282" : $"{node}:9102";

    /// <summary>The true values of <paramref name="node"/> at every step.</summary>
    public IReadOnlyList<HistoryStep> Steps(string node)
    {
        var n = IndexOf(node);
        var history = Nodes[n];
        var seconds = Step.TotalSeconds;
        var steps = new HistoryStep[StepCount];
        var cpuJoules = 0.0;
        var gpuJoules = new double[history.Gpus.Count];
        for (var i = 0; i < StepCount; i++)
        {
            var u = _utilisation[n][i];
            var cpuWatts = history.CpuWatts(u);
            var gpuWatts = new double[history.Gpus.Count];
            for (var g = 0; g < gpuWatts.Length; g++)
            {
                gpuWatts[g] = GpuWatts(n, g, i);
                gpuJoules[g] += i == 0 ? 0 : gpuWatts[g] * seconds;
            }

            cpuJoules += i == 0 ? 0 : cpuWatts * seconds;
            steps[i] = new HistoryStep(TimeAt(i), u, cpuWatts, cpuWatts * (1 - DramShare), cpuWatts * DramShare, gpuWatts, cpuJoules, [.. gpuJoules]);
        }

        return steps;
    }

    /// <summary>Writes the OpenMetrics text, ending with <c># EOF</c>.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var times = new string[StepCount];
        for (var i = 0; i < StepCount; i++)
        {
            var milliseconds = TimeAt(i).ToUnixTimeMilliseconds();
            times[i] = milliseconds % 1000 == 0
                ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture)
                : (milliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        }

        var lines = new SampleWriter(writer, times);
        if (Schema == KeplerSchemaVersion.Rewrite)
        {
            WriteRewrite(lines);
        }
        else
        {
            WriteLegacy(lines);
        }

        lines.Flush();
        writer.Write("# EOF\n");
    }

    /// <summary>Writes the OpenMetrics text to the file <paramref name="path"/>, for history too large for a string.</summary>
    public void WriteTo(string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 20);
        WriteTo(writer);
    }

    /// <summary>The OpenMetrics text.</summary>
    public override string ToString()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteTo(writer);
        return writer.ToString();
    }

    private static double Utilisation(DateTimeOffset time, TimeSpan window, Random random)
    {
        var timeOfDay = time.UtcDateTime.TimeOfDay;
        var noise = random.NextDouble();
        if (timeOfDay >= QuietHour && timeOfDay < QuietHour + window)
        {
            return noise * 0.01;
        }

        if (timeOfDay >= FullLoadHour && timeOfDay < FullLoadHour + window)
        {
            return 1 - (noise * 0.01);
        }

        var daily = 0.5 - (0.35 * Math.Cos(2 * Math.PI * (timeOfDay.TotalHours - 4) / 24));
        return Math.Clamp(daily + ((noise - 0.5) * 0.5), 0, 1);
    }

    private static string Prefix(string sample, params (string Name, string Value)[] labels)
    {
        var text = new StringBuilder(sample);
        ExpositionWriter.AppendLabels(text, labels);
        return text.Append(' ').ToString();
    }

    private int IndexOf(string node)
    {
        for (var n = 0; n < Nodes.Count; n++)
        {
            if (Nodes[n].Node == node)
            {
                return n;
            }
        }

        throw new ArgumentException($"No node {node} in the history.", nameof(node));
    }

    private double GpuWatts(int node, int gpu, int step)
    {
        var model = Nodes[node].Gpus[gpu];
        return _gpuBusy[node][gpu][step] ? model.BusyWatts : model.IdleWatts;
    }

    private (string Name, string Value)[] Target(int node) => [("instance", TargetOf(Nodes[node].Node)), ("job", Job)];

    /// <summary>The labels that name the node in a legacy node series, as Prometheus stored them.</summary>
    private (string Name, string Value)[] LegacyNode(int node) =>
        HonorLabels
            ? [("instance", Nodes[node].Node), ("job", Job)]
            : [("exported_instance", Nodes[node].Node), .. Target(node)];

    private void WriteRewrite(SampleWriter w)
    {
        var seconds = Step.TotalSeconds;
        w.Family("kepler_build_info", "gauge", "A metric with a constant '1' value labeled with version, revision, branch, goversion, and arch from which kepler was built.");
        for (var n = 0; n < Nodes.Count; n++)
        {
            w.Series(Prefix("kepler_build_info", [.. Target(n), ("arch", "amd64"), ("branch", "main"), ("goversion", "go1.24.4"), ("revision", "abc"), ("version", "v0.11.4")]), _ => 1);
        }

        var zones = new[] { (Zone: "package", Path: "/sys/class/powercap/intel-rapl:0", Share: 1 - DramShare), (Zone: "dram", Path: "/sys/class/powercap/intel-rapl:0:0", Share: DramShare) };

        // Energy over the step that ends at step i of one zone, and the part of it Kepler calls active.
        Func<int, double> ZoneJoules(int n, double share) => i => Nodes[n].CpuWatts(_utilisation[n][i]) * share * seconds;
        Func<int, double> ActiveJoules(int n, double share) => i => Nodes[n].CpuWatts(_utilisation[n][i]) * share * seconds * _utilisation[n][i];

        foreach (var (family, help, part) in new (string, string, int)[]
        {
            ("kepler_node_cpu_joules", "Energy consumption of cpu at node level in joules", 0),
            ("kepler_node_cpu_active_joules", "Energy consumption of cpu in active state at node level in joules", 1),
            ("kepler_node_cpu_idle_joules", "Energy consumption of cpu in idle state at node level in joules", 2),
        })
        {
            w.Family(family, "counter", help);
            for (var n = 0; n < Nodes.Count; n++)
            {
                foreach (var (zone, path, share) in zones)
                {
                    var total = ZoneJoules(n, share);
                    var active = ActiveJoules(n, share);
                    w.Counter(
                        Prefix(family + "_total", [.. Target(n), ("node_name", Nodes[n].Node), ("path", path), ("zone", zone)]),
                        part switch
                        {
                            0 => total,
                            1 => active,
                            _ => i => total(i) - active(i),
                        });
                }
            }
        }

        w.Family("kepler_node_cpu_usage_ratio", "gauge", "CPU usage ratio of a node (value between 0.0 and 1.0)");
        for (var n = 0; n < Nodes.Count; n++)
        {
            var utilisation = _utilisation[n];
            w.Series(Prefix("kepler_node_cpu_usage_ratio", [.. Target(n), ("node_name", Nodes[n].Node)]), i => utilisation[i]);
        }

        foreach (var (family, type, help, value) in new (string, string, string, Func<int, int, int, double>)[]
        {
            ("kepler_node_gpu_joules", "counter", "Energy consumption of gpu at node level in joules", (n, g, i) => GpuWatts(n, g, i) * seconds),
            ("kepler_node_gpu_active_joules", "counter", "Energy consumption of gpu in active state at node level in joules", (n, g, i) => Math.Max(0, GpuWatts(n, g, i) - Nodes[n].Gpus[g].IdleWatts) * seconds),
            ("kepler_node_gpu_idle_joules", "counter", "Energy consumption of gpu in idle state at node level in joules", (n, g, i) => Math.Min(GpuWatts(n, g, i), Nodes[n].Gpus[g].IdleWatts) * seconds),
            ("kepler_node_gpu_watts", "gauge", "Power consumption of gpu at node level in watts", (n, g, i) => GpuWatts(n, g, i)),
            ("kepler_node_gpu_idle_watts", "gauge", "Power consumption of gpu in idle state at node level in watts", (n, g, i) => Math.Min(GpuWatts(n, g, i), Nodes[n].Gpus[g].IdleWatts)),
        })
        {
            w.Family(family, type, help);
            var sample = type == "counter" ? family + "_total" : family;
            for (var n = 0; n < Nodes.Count; n++)
            {
                for (var g = 0; g < Nodes[n].Gpus.Count; g++)
                {
                    var (node, gpu) = (n, g);
                    var prefix = Prefix(sample, [.. Target(n), ("gpu", g.ToString(CultureInfo.InvariantCulture)), ("gpu_name", Nodes[n].Gpus[g].ProductName), ("gpu_uuid", GpuUuid(n, g)), ("node_name", Nodes[n].Node), ("vendor", "nvidia")]);
                    if (type == "counter")
                    {
                        w.Counter(prefix, i => value(node, gpu, i));
                    }
                    else
                    {
                        w.Series(prefix, i => value(node, gpu, i));
                    }
                }
            }
        }
    }

    private void WriteLegacy(SampleWriter w)
    {
        var seconds = Step.TotalSeconds;
        w.Family("kepler_exporter_build_info", "gauge", "A metric with a constant '1' value labeled by version, revision, branch, goversion from which kepler_exporter was built, and the goos and goarch for the build.");
        for (var n = 0; n < Nodes.Count; n++)
        {
            // The empty branch and version labels of the real exporter are absent once stored.
            w.Series(Prefix("kepler_exporter_build_info", [.. Target(n), ("goarch", "amd64"), ("goos", "linux"), ("goversion", "go1.21.9"), ("revision", "unknown"), ("tags", "include_gcs,include_oss,containers_image_openpgp,gssapi,providerless,netgo,osusergo,libbpf,linux,gpu")]), _ => 1);
        }

        w.Family("kepler_node_info", "gauge", "Labeled node information");
        for (var n = 0; n < Nodes.Count; n++)
        {
            w.Series(Prefix("kepler_node_info", [.. Target(n), ("components_power_source", "rapl-sysfs"), ("cpu_architecture", "Broadwell"), ("platform_power_source", "acpi"), ("source", "os")]), _ => 1);
        }

        w.Family("kepler_node_cpu_scaling_frequency_hertz", "gauge", "Current CPU scaling frequency in hertz");
        for (var n = 0; n < Nodes.Count; n++)
        {
            var utilisation = _utilisation[n];
            for (var cpu = 0; cpu < Nodes[n].Cpus; cpu++)
            {
                w.Series(Prefix("kepler_node_cpu_scaling_frequency_hertz", [.. LegacyNode(n), ("cpu", cpu.ToString(CultureInfo.InvariantCulture))]), i => Math.Round(1.2e9 + (1.8e9 * utilisation[i])));
            }
        }

        foreach (var (family, component, share) in new[] { ("kepler_node_package_joules", "package", 1 - DramShare), ("kepler_node_dram_joules", "dram", DramShare) })
        {
            w.Family(family, "counter", $"Aggregated value in {component} value from rapl-sysfs");
            for (var n = 0; n < Nodes.Count; n++)
            {
                var node = n;
                Func<int, double> total = i => Nodes[node].CpuWatts(_utilisation[node][i]) * share * seconds;
                Func<int, double> dynamic = i => total(i) * _utilisation[node][i];
                w.Counter(Prefix(family + "_total", [.. LegacyNode(n), ("mode", "dynamic"), ("package", "0"), ("source", "rapl-sysfs")]), dynamic);
                w.Counter(Prefix(family + "_total", [.. LegacyNode(n), ("mode", "idle"), ("package", "0"), ("source", "rapl-sysfs")]), i => total(i) - dynamic(i));
            }
        }

        w.Family("kepler_node_gpu_joules", "counter", "Aggregated value in gpu value from nvidia");
        for (var n = 0; n < Nodes.Count; n++)
        {
            for (var g = 0; g < Nodes[n].Gpus.Count; g++)
            {
                var (node, gpu, idleWatts) = (n, g, Nodes[n].Gpus[g].IdleWatts);
                var index = g.ToString(CultureInfo.InvariantCulture);
                w.Counter(Prefix("kepler_node_gpu_joules_total", [.. LegacyNode(n), ("index", index), ("mode", "dynamic"), ("source", "nvidia")]), i => Math.Max(0, GpuWatts(node, gpu, i) - idleWatts) * seconds);
                w.Counter(Prefix("kepler_node_gpu_joules_total", [.. LegacyNode(n), ("index", index), ("mode", "idle"), ("source", "nvidia")]), i => Math.Min(GpuWatts(node, gpu, i), idleWatts) * seconds);
            }
        }

        w.Family("kepler_container_bpf_cpu_time_ms", "counter", "Aggregated value in bpf_cpu_time_ms value from bpf");
        for (var n = 0; n < Nodes.Count; n++)
        {
            var (utilisation, cpus) = (_utilisation[n], Nodes[n].Cpus);
            w.Counter(
                Prefix("kepler_container_bpf_cpu_time_ms_total", [.. Target(n), ("container_id", "system_processes"), ("container_name", "system_processes"), ("container_namespace", "system"), ("pod_name", "system_processes"), ("source", "bpf")]),
                i => utilisation[i] * cpus * 1000 * seconds);
        }
    }

    private static string GpuUuid(int node, int gpu) => string.Create(CultureInfo.InvariantCulture, $"GPU-{node + 1:x8}-{gpu:x4}-4000-8000-000000000000");

    /// <summary>Writes sample lines through a large character buffer: the history may run to millions of lines.</summary>
    private sealed class SampleWriter(TextWriter writer, string[] times)
    {
        private readonly char[] _buffer = new char[1 << 16];
        private int _length;

        public void Family(string name, string type, string help)
        {
            Append($"# HELP {name} {help}\n# TYPE {name} {type}\n");
        }

        /// <summary>A gauge: <paramref name="value"/> at every step.</summary>
        public void Series(string prefix, Func<int, double> value)
        {
            for (var i = 0; i < times.Length; i++)
            {
                Line(prefix, value(i), times[i]);
            }
        }

        /// <summary>A counter: zero at the first step, then growing by <paramref name="increase"/> of each step.</summary>
        public void Counter(string prefix, Func<int, double> increase)
        {
            var total = 0.0;
            for (var i = 0; i < times.Length; i++)
            {
                total += i == 0 ? 0 : increase(i);
                Line(prefix, total, times[i]);
            }
        }

        public void Flush()
        {
            writer.Write(_buffer, 0, _length);
            _length = 0;
        }

        private void Line(string prefix, double value, string time)
        {
            // A prefix, a shortest round-trip number and a timestamp fit easily; flush first when they might not.
            if (_buffer.Length - _length < prefix.Length + time.Length + 64)
            {
                Flush();
            }

            Append(prefix);
            value.TryFormat(_buffer.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture);
            _length += written;
            _buffer[_length++] = ' ';
            Append(time);
            _buffer[_length++] = '\n';
        }

        private void Append(string text)
        {
            if (_buffer.Length - _length < text.Length)
            {
                Flush();
                if (text.Length > _buffer.Length)
                {
                    writer.Write(text);
                    return;
                }
            }

            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }
    }
}
