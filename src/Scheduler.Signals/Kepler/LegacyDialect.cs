using Scheduler.Core.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// Kepler 0.7 to 0.9: one counter per RAPL domain and <c>mode</c> (dynamic, idle), the node in
/// Kepler's own <c>instance</c> label, which Prometheus renames <c>exported_instance</c> unless the
/// scrape honours labels; container counters carry only the scrape target.
/// </summary>
internal sealed class LegacyDialect(KeplerOptions options) : KeplerDialect(options)
{
    // The legacy line's per-domain metrics; psys has no legacy counterpart (its "platform" is ACPI's whole machine).
    private static readonly string[] LegacyDomains = ["package", "core", "uncore", "dram"];

    public override KeplerSchema Schema => KeplerSchema.Legacy;

    public override string BuildInfoMetric => "kepler_exporter_build_info";

    // Legacy counters are accumulated by Kepler from deltas: they never wrap, but restart with Kepler.
    public override CounterRules CpuCounterRules => new(null, Options.MaxCpuWatts);

    public override string CpuModelLabel => "cpu_architecture";

    public override bool PodCpuIncludesGpu => true;

    private string[] Domains
    {
        get
        {
            var domains = Options.Zones.Intersect(LegacyDomains).ToArray();
            return domains.Length > 0 ? domains : ["package"];
        }
    }

    private string DomainMetrics => $"__name__=~\"kepler_node_({string.Join('|', Domains)})_joules_total\"";

    public override string CpuEnergySamples(TimeSpan window, string? nodeMatcher = null) =>
        $"{{{DomainMetrics}{And(nodeMatcher)}}}[{PromQl.Duration(window)}]";

    public override IReadOnlyList<string> NodeMatchers(string node) =>
        [$"exported_instance={PromQl.Quote(node)}", $"instance={PromQl.Quote(node)}"];

    public override string CpuSplitWatts(TimeSpan window, bool active) =>
        DomainSum(window, $"mode=\"{(active ? "dynamic" : "idle")}\"");

    // Busy cores from eBPF CPU time over the CPUs Kepler reports a frequency for.
    public override string Utilisation(TimeSpan window) =>
        $"sum by (instance) (rate(kepler_container_bpf_cpu_time_ms_total[{PromQl.Duration(window)}])) / 1000 / on (instance) count by (instance) (kepler_node_cpu_scaling_frequency_hertz)";

    public override string CpuInventory() =>
        "(count by (instance, exported_instance) (kepler_node_cpu_scaling_frequency_hertz) * on (instance) group_left (cpu_architecture) max by (instance, cpu_architecture) (kepler_node_info))"
        + " or on (instance) count by (instance, exported_instance) (kepler_node_cpu_scaling_frequency_hertz)";

    public override string GpuEnergySamples(TimeSpan window, string? nodeMatcher = null) =>
        $"kepler_node_gpu_joules_total{(nodeMatcher is null ? string.Empty : "{" + nodeMatcher + "}")}[{PromQl.Duration(window)}]";

    public override string GpuSplitWatts(TimeSpan window, bool active) =>
        $"sum by (exported_instance, instance, index) (rate(kepler_node_gpu_joules_total{{mode=\"{(active ? "dynamic" : "idle")}\"}}[{PromQl.Duration(window)}]))";

    public override string CpuWattsHistory(TimeSpan step) => DomainSum(step, null);

    public override string UtilisationHistory(TimeSpan step) => Utilisation(step);

    public override string GpuWattsHistory(TimeSpan step) =>
        $"sum by (exported_instance, instance, index) (rate(kepler_node_gpu_joules_total[{PromQl.Duration(step)}]))";

    public override string PodCpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window) =>
        $"kepler_container_joules_total{{container_namespace={PromQl.Quote(@namespace)},pod_name=~{PromQl.AnyOf(pods)}}}[{PromQl.Duration(window)}]";

    public override string PodGpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window) =>
        $"kepler_container_gpu_joules_total{{container_namespace={PromQl.Quote(@namespace)},pod_name=~{PromQl.AnyOf(pods)}}}[{PromQl.Duration(window)}]";

    // rate() drops the metric name, so rating several domains in one selector would collide; each
    // domain is summed per node on its own and added, a node without a domain (no DRAM) adding 0.
    private string DomainSum(TimeSpan window, string? matcher)
    {
        var sums = Domains
            .Select(d => $"sum by (exported_instance, instance) (rate(kepler_node_{d}_joules_total{{{matcher}}}[{PromQl.Duration(window)}]))")
            .ToArray();
        return sums.Length == 1
            ? sums[0]
            : sums[0] + string.Concat(sums.Skip(1).Select(s => $" + on (exported_instance, instance) ({s} or {sums[0]} * 0)"));
    }

    public override string? NodeOf(PromSeries series, IReadOnlyDictionary<string, string> targets)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(targets);
        if (series.Label("exported_instance") is { } node)
        {
            return node;
        }

        var instance = series.Label("instance");
        return instance is not null && targets.TryGetValue(instance, out var mapped) ? mapped : instance;
    }

    public override string GpuIndexOf(PromSeries series) => series.Label("index") ?? series.Label("gpu_id") ?? "0";

    public override string CpuCounterKey(PromSeries series) =>
        $"{series.Label("__name__")}|{series.Label("package")}|{series.Label("mode")}";

    // Legacy has no pod UID or state; a pod is its containers, each counted per mode.
    public override (string? Namespace, string? Pod, string? Uid, string CounterKey, bool Terminated) PodOf(PromSeries series) =>
        (series.Label("container_namespace"), series.Label("pod_name"), null, $"{series.Label("container_id")}|{series.Label("mode")}", false);

    public override ReadingQuality QualityOf(PromSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var source = series.Label("source") ?? string.Empty;
        return source.Contains("model", StringComparison.OrdinalIgnoreCase)
            || source.Contains("estimator", StringComparison.OrdinalIgnoreCase)
            || source.Equals("dummy", StringComparison.OrdinalIgnoreCase)
            ? ReadingQuality.Estimated
            : ReadingQuality.Measured;
    }
}
