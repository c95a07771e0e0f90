using Scheduler.Core.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// The PromQL of one Kepler schema and how to read its series: which metric holds what, which label
/// names the node, and whether a value is measured or estimated. The reader asks the same questions
/// of both schemas; only the dialect knows the names.
/// </summary>
internal abstract class KeplerDialect(KeplerOptions options)
{
    protected KeplerOptions Options { get; } = options;

    public abstract KeplerSchema Schema { get; }

    /// <summary>The metric whose presence tells this schema.</summary>
    public abstract string BuildInfoMetric { get; }

    /// <summary>How the node CPU energy counters behave (the raw 0.10+ RAPL counter wraps).</summary>
    public abstract CounterRules CpuCounterRules { get; }

    /// <summary>How a GPU energy counter behaves.</summary>
    public CounterRules GpuCounterRules => new(null, Options.MaxGpuWatts);

    /// <summary>How a pod's CPU or GPU energy counter behaves (a pod may use a whole node).</summary>
    public CounterRules PodCounterRules => new(null, Options.MaxCpuWatts + (8 * Options.MaxGpuWatts));

    /// <summary>Raw samples of each node CPU energy counter over <paramref name="window"/>, for every node or for the series matching <paramref name="nodeMatcher"/>.</summary>
    public abstract string CpuEnergySamples(TimeSpan window, string? nodeMatcher = null);

    /// <summary>The label matchers that may select one node's series, to be tried in order.</summary>
    public abstract IReadOnlyList<string> NodeMatchers(string node);

    /// <summary>Whether a pod's CPU energy series also count its GPU energy (the legacy container total does).</summary>
    public virtual bool PodCpuIncludesGpu => false;

    /// <summary>Kepler's active (<paramref name="active"/>) or idle CPU power per node over <paramref name="window"/>.</summary>
    public abstract string CpuSplitWatts(TimeSpan window, bool active);

    /// <summary>CPU utilisation (0..1) per node over <paramref name="window"/>.</summary>
    public abstract string Utilisation(TimeSpan window);

    /// <summary>One series per node with its CPU count as value and, where known, its CPU model as a label.</summary>
    public abstract string CpuInventory();

    /// <summary>The label of <see cref="CpuInventory"/> that holds the CPU model.</summary>
    public abstract string CpuModelLabel { get; }

    /// <summary>Raw samples of each GPU energy counter over <paramref name="window"/>, for every node or those matching <paramref name="nodeMatcher"/>.</summary>
    public abstract string GpuEnergySamples(TimeSpan window, string? nodeMatcher = null);

    /// <summary>Kepler's idle (or active) power per GPU over <paramref name="window"/>, or <c>null</c> when the schema has none.</summary>
    public abstract string GpuSplitWatts(TimeSpan window, bool active);

    /// <summary>CPU power per node, one point per <paramref name="step"/> (a range query).</summary>
    public abstract string CpuWattsHistory(TimeSpan step);

    /// <summary>CPU utilisation per node, one point per <paramref name="step"/> (a range query).</summary>
    public abstract string UtilisationHistory(TimeSpan step);

    /// <summary>Power per GPU, one point per <paramref name="step"/> (a range query).</summary>
    public abstract string GpuWattsHistory(TimeSpan step);

    /// <summary>Raw samples of the CPU energy counters of the pods <paramref name="pods"/> of <paramref name="namespace"/>.</summary>
    public abstract string PodCpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window);

    /// <summary>Raw samples of the GPU energy counters of those pods.</summary>
    public abstract string PodGpuEnergySamples(string @namespace, IReadOnlyCollection<string> pods, TimeSpan window);

    /// <summary>The node a series belongs to, or <c>null</c> when it names none.</summary>
    /// <param name="series">The series.</param>
    /// <param name="targets">Scrape target (<c>instance</c>) to node, for series that carry only the target.</param>
    public abstract string? NodeOf(PromSeries series, IReadOnlyDictionary<string, string> targets);

    /// <summary>The GPU index of a GPU series.</summary>
    public abstract string GpuIndexOf(PromSeries series);

    /// <summary>What identifies one counter among the series of a node's CPU energy (zone, socket, mode).</summary>
    public abstract string CpuCounterKey(PromSeries series);

    /// <summary>The pod name, namespace and UID of a pod series.</summary>
    public abstract (string? Namespace, string? Pod, string? Uid, string CounterKey, bool Terminated) PodOf(PromSeries series);

    /// <summary>Whether the exporter measured a series' values, or estimated them from a model.</summary>
    public abstract ReadingQuality QualityOf(PromSeries series);

    /// <summary>The matcher restricting to the configured zones.</summary>
    protected string ZoneMatcher => $"zone=~{PromQl.AnyOf(Options.Zones)}";

    /// <summary><c>,matcher</c>, or nothing.</summary>
    protected static string And(string? matcher) => matcher is null ? string.Empty : "," + matcher;
}
