using Scheduler.Core.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>Kepler 0.10 and later: <c>kepler_node_cpu_*</c> with <c>zone</c> and <c>node_name</c> labels.</summary>
internal sealed class RewriteDialect(KeplerOptions options) : KeplerDialect(options)
{
    public override KeplerSchema Schema => KeplerSchema.Rewrite;

    public override string BuildInfoMetric => "kepler_build_info";

    // kepler_node_cpu_joules_total is the RAPL counter itself (absolute energy modulo its range);
    // reading it rather than the active/idle counters loses nothing when Kepler restarts.
    public override CounterRules CpuCounterRules => new(Options.RaplWrapJoules, Options.MaxCpuWatts);

    public override string CpuModelLabel => "model_name";

    public override string CpuEnergySamples(TimeSpan window, string? nodeMatcher = null) =>
        $"kepler_node_cpu_joules_total{{{ZoneMatcher}{And(nodeMatcher)}}}[{PromQl.Duration(window)}]";

    public override IReadOnlyList<string> NodeMatchers(string node) => [$"node_name={PromQl.Quote(node)}"];

    public override string CpuSplitWatts(TimeSpan window, bool active) =>
        $"sum by (node_name) (rate(kepler_node_cpu_{(active ? "active" : "idle")}_joules_total{{{ZoneMatcher}}}[{PromQl.Duration(window)}]))";

    public override string Utilisation(TimeSpan window) =>
        $"avg by (node_name) (avg_over_time(kepler_node_cpu_usage_ratio[{PromQl.Duration(window)}]))";

    // kepler_node_cpu_info has no node_name: it is joined to the node through the scrape target.
    public override string CpuInventory() =>
        "count by (instance, model_name) (kepler_node_cpu_info) * on (instance) group_left (node_name) group by (instance, node_name) (kepler_node_cpu_usage_ratio)";

    public override string GpuEnergySamples(TimeSpan window, string? nodeMatcher = null) =>
        $"kepler_node_gpu_joules_total{(nodeMatcher is null ? string.Empty : "{" + nodeMatcher + "}")}[{PromQl.Duration(window)}]";

    public override string GpuSplitWatts(TimeSpan window, bool active) =>
        $"max by (node_name, gpu, gpu_name) (avg_over_time(kepler_node_gpu_{(active ? "active" : "idle")}_watts[{PromQl.Duration(window)}]))";

    // Kepler's own active and idle counters never wrap (the raw RAPL one does); rate() drops their
    // names, so each is summed per node on its own before they are added.
    public override string CpuWattsHistory(TimeSpan step) =>
        $"sum by (node_name) (rate(kepler_node_cpu_active_joules_total{{{ZoneMatcher}}}[{PromQl.Duration(step)}]))"
        + $" + on (node_name) sum by (node_name) (rate(kepler_node_cpu_idle_joules_total{{{ZoneMatcher}}}[{PromQl.Duration(step)}]))";

    public override string UtilisationHistory(TimeSpan step) => Utilisation(step);

    public override string GpuWattsHistory(TimeSpan step) =>
        $"sum by (node_name, gpu) (rate(kepler_node_gpu_joules_total[{PromQl.Duration(step)}]))";

    public override string PodCpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window) =>
        $"kepler_pod_cpu_joules_total{{pod_namespace={PromQl.Quote(@namespace)},pod_name=~{PromQl.AnyOf(pods)},{ZoneMatcher}}}[{PromQl.Duration(window)}]";

    public override string PodGpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window) =>
        $"kepler_pod_gpu_joules_total{{pod_namespace={PromQl.Quote(@namespace)},pod_name=~{PromQl.AnyOf(pods)}}}[{PromQl.Duration(window)}]";

    public override string? NodeOf(PromSeries series, IReadOnlyDictionary<string, string> targets) => series.Label("node_name");

    public override string GpuIndexOf(PromSeries series) => series.Label("gpu") ?? series.Label("gpu_uuid") ?? "0";

    public override string CpuCounterKey(PromSeries series) => $"{series.Label("zone")}|{series.Label("path")}";

    // A pod's running and terminated series are one counter: the terminated one is its last value.
    public override (string? Namespace, string? Pod, string? Uid, string CounterKey, bool Terminated) PodOf(PromSeries series) =>
        (series.Label("pod_namespace"), series.Label("pod_name"), series.Label("pod_id"), $"{series.Label("pod_id")}|{series.Label("zone")}|{series.Label("node_name")}", series.Label("state") == "terminated");

    // The rewrite only reads hardware meters (RAPL, hwmon, NVML): it exits rather than estimate.
    public override ReadingQuality QualityOf(PromSeries series) => ReadingQuality.Measured;
}
