using System.Diagnostics;
using System.Diagnostics.Metrics;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Telemetry;

/// <summary>The scheduler's one meter and its instruments, exported at <c>/metrics</c>.</summary>
internal sealed class SchedulerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "CarbonAware.Scheduler";

    private readonly Meter _meter;
    private readonly Histogram<double> _requestSeconds;
    private readonly Histogram<int> _scores;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _filteredNodes;

    public SchedulerMetrics(IMeterFactory meters, IntensityCache intensities, INodeCache nodes, TimeProvider time)
    {
        _meter = meters.Create(MeterName);
        _requestSeconds = _meter.CreateHistogram<double>(
            "extender_request_duration_seconds",
            unit: "s",
            description: "Time to answer an extender request, by verb and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _scores = _meter.CreateHistogram<int>(
            "extender_node_score",
            description: "Scores given to nodes (0..10), by grid zone and how the score was reached.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
        _faults = _meter.CreateCounter<long>(
            "extender_faults",
            description: "Internal faults answered with neutral scores (prioritize) or all nodes passed (filter).");
        _filteredNodes = _meter.CreateCounter<long>(
            "extender_filtered_nodes",
            description: "Nodes removed by a pod's max-intensity, by grid zone.");
        _meter.CreateObservableGauge(
            "zone_intensity_grams_per_kwh",
            () => intensities.Snapshot().Select(f => new Measurement<double>(
                f.Series.ValueAt(time.GetUtcNow()) ?? double.NaN,
                new KeyValuePair<string, object?>("zone", f.Zone),
                new KeyValuePair<string, object?>("source", f.Source))),
            unit: "gCO2eq/kWh",
            description: "Current carbon intensity of each grid zone, from its newest forecast.");
        _meter.CreateObservableGauge(
            "node_cache_nodes",
            () => nodes.Count,
            description: "Nodes in the node cache.");
    }

    public void RecordRequest(string verb, string outcome, TimeSpan elapsed) =>
        _requestSeconds.Record(elapsed.TotalSeconds, new("verb", verb), new("outcome", outcome));

    public void RecordScores(IReadOnlyList<NodeScore> scores)
    {
        foreach (var score in scores)
        {
            _scores.Record(score.Score, new("zone", score.Reason.Zone ?? "unknown"), new("outcome", score.Reason.Outcome.ToString()));
        }
    }

    public void RecordFault(string verb) => _faults.Add(1, new KeyValuePair<string, object?>("verb", verb));

    public void RecordFiltered(string zone) => _filteredNodes.Add(1, new KeyValuePair<string, object?>("zone", zone));

    public void Dispose() => _meter.Dispose();
}
