using System.Collections.Concurrent;
using Prometheus;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;

namespace Scheduler.Extender.Telemetry;

/// <summary>
/// The scheduler's metrics, exported at <c>/metrics</c> from one registry per application (so
/// several hosts in one process, as in tests, never share state).
/// </summary>
internal sealed class SchedulerMetrics
{
    private readonly Histogram _requestSeconds;
    private readonly Histogram _scores;
    private readonly Counter _faults;
    private readonly Counter _filteredNodes;
    private readonly Counter _rejected;

    // One child per power source, indexed by the enum, so counting a scored node never allocates.
    private readonly Counter.Child[] _scoredByPower;

    // Children resolved once per (zone, outcome): a labelled lookup per node would allocate on every
    // prioritize request, thousands of times.
    private readonly ConcurrentDictionary<(string Zone, ScoreOutcome Outcome), Histogram.Child> _scoreChildren = new();

    public SchedulerMetrics(
        CollectorRegistry registry,
        IntensityCache intensities,
        IntensityService intensityService,
        INodeCache nodes,
        MeasuredPowerCatalog measured,
        TimeProvider time,
        KeplerService? kepler = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        _requestSeconds = factory.CreateHistogram(
            "carbon_extender_request_duration_seconds",
            "Time to answer an extender request, by verb and outcome (ok, bad_request, too_large, fault).",
            new HistogramConfiguration { LabelNames = ["verb", "outcome"], Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _scores = factory.CreateHistogram(
            "carbon_extender_node_score",
            "Scores given to nodes (0..10), by grid zone and how the score was reached (Scored, ZoneUnknown, NoIntensity).",
            new HistogramConfiguration { LabelNames = ["zone", "outcome"], Buckets = Histogram.LinearBuckets(0, 1, 11) });
        _faults = factory.CreateCounter(
            "carbon_extender_faults_total",
            "Internal faults answered without carbon preference (neutral scores on prioritize, every node kept on filter).",
            new CounterConfiguration { LabelNames = ["verb"] });
        _filteredNodes = factory.CreateCounter(
            "carbon_extender_filtered_nodes_total",
            "Nodes removed by a pod's max-intensity, by grid zone.",
            new CounterConfiguration { LabelNames = ["zone"] });
        _rejected = factory.CreateCounter(
            "carbon_extender_rejected_requests_total",
            "Requests refused before reaching an endpoint, by reason (client_certificate_missing, client_certificate_untrusted, rate_limited).",
            new CounterConfiguration { LabelNames = ["reason"] });
        var intensity = factory.CreateGauge(
            "carbon_zone_intensity_grams_per_kwh",
            "Current carbon intensity of each grid zone in gCO2eq/kWh, from its newest forecast.",
            new GaugeConfiguration { LabelNames = ["zone", "source"] });
        var forecastAge = factory.CreateGauge(
            "carbon_zone_forecast_age_seconds",
            "Age of each grid zone's newest forecast.",
            new GaugeConfiguration { LabelNames = ["zone", "source"] });
        var cachedNodes = factory.CreateGauge("carbon_node_cache_nodes", "Nodes in the node cache.");
        var scoredByPower = factory.CreateCounter(
            "carbon_extender_scored_nodes_total",
            "Nodes scored, by where their power figures came from (Measured, MeasuredPeers, HardwareModel, Default).",
            new CounterConfiguration { LabelNames = ["power_source"] });
        _scoredByPower = Enum.GetValues<PowerSource>().Select(source => scoredByPower.WithLabels(source.ToString())).ToArray();
        var powerSources = factory.CreateGauge(
            "carbon_node_power_source_nodes",
            "Nodes in the node cache by where their power profile comes from: Measured (Kepler), MeasuredPeers (Kepler, same-hardware nodes), HardwareModel or Default (fallbacks).",
            new GaugeConfiguration { LabelNames = ["power_source"] });
        var keplerNodes = factory.CreateGauge(
            "carbon_kepler_nodes",
            "Nodes with a fresh Kepler reading, by Kepler schema (Rewrite: 0.10+, Legacy: 0.7-0.9).",
            new GaugeConfiguration { LabelNames = ["schema"] });
        var keplerModels = factory.CreateGauge(
            "carbon_kepler_power_models",
            "Fitted node power models, by curve kind and whether fitted on the node's own history or its same-hardware peers'.",
            new GaugeConfiguration { LabelNames = ["kind", "origin"] });
        var keplerErrors = factory.CreateCounter(
            "carbon_kepler_errors_total",
            "Failed Kepler refreshes, by kind (Unavailable, Timeout, Rejected, Malformed, Auth, CircuitOpen).",
            new CounterConfiguration { LabelNames = ["kind"] });
        var keplerRepairs = factory.CreateCounter(
            "carbon_kepler_counter_repairs_total",
            "Kepler energy counter repairs while reading: wrap (RAPL range), reset (Kepler restart), glitch (implausible step dropped).",
            new CounterConfiguration { LabelNames = ["kind"] });
        var keplerLastReading = factory.CreateGauge(
            "carbon_kepler_last_reading_timestamp_seconds",
            "When Kepler readings last succeeded (Unix time).");
        var keplerRefreshSeconds = factory.CreateGauge(
            "carbon_kepler_refresh_duration_seconds",
            "Duration of the last Kepler refresh, by what was refreshed (readings, models).",
            new GaugeConfiguration { LabelNames = ["what"] });
        var providerErrors = factory.CreateCounter(
            "carbon_provider_errors_total",
            "Failed carbon-intensity provider refreshes, by provider and kind (Auth, RateLimited, Server, Timeout, Malformed, NoData).",
            new CounterConfiguration { LabelNames = ["provider", "kind"] });
        var actual = factory.CreateGauge(
            "carbon_zone_actual_intensity_grams_per_kwh",
            "Newest measured carbon intensity of each grid zone whose provider reports actuals, in gCO2eq/kWh.",
            new GaugeConfiguration { LabelNames = ["zone", "source"] });
        var forecastError = factory.CreateGauge(
            "carbon_forecast_mae_grams_per_kwh",
            "Mean absolute error of each source's forecasts of each zone against the actuals that came later, in gCO2eq/kWh.",
            new GaugeConfiguration { LabelNames = ["zone", "source"] });
        var origin = factory.CreateGauge(
            "carbon_zone_forecast_origin",
            "1 for the link of the fallback chain each zone's forecast comes from (Fresh, Stale, Own, Profile).",
            new GaugeConfiguration { LabelNames = ["zone", "origin"] });

        // Gauges are read from the caches at scrape time rather than pushed from the hot path.
        registry.AddBeforeCollectCallback(() =>
        {
            var now = time.GetUtcNow();
            foreach (var forecast in intensities.Snapshot())
            {
                if (forecast.Series.ValueAt(now) is { } value)
                {
                    intensity.WithLabels(forecast.Zone, forecast.Source).Set(value);
                }

                forecastAge.WithLabels(forecast.Zone, forecast.Source).Set((now - forecast.IssuedAt).TotalSeconds);
            }

            cachedNodes.Set(nodes.Count);
            var bySource = new int[_scoredByPower.Length];
            foreach (var node in nodes.Nodes)
            {
                bySource[(int)node.Power.Source]++;
            }

            foreach (var source in Enum.GetValues<PowerSource>())
            {
                powerSources.WithLabels(source.ToString()).Set(bySource[(int)source]);
            }

            if (kepler is not null)
            {
                foreach (var schema in Enum.GetValues<KeplerSchema>())
                {
                    keplerNodes.WithLabels(schema.ToString()).Set(measured.Readings.Values.Count(r => r.Schema == schema));
                }

                foreach (var kind in Enum.GetValues<PowerCurveKind>())
                {
                    keplerModels.WithLabels(kind.ToString(), "own").Set(measured.Models.Values.Count(m => m.Kind == kind && !m.FromPeers));
                    keplerModels.WithLabels(kind.ToString(), "peers").Set(measured.Models.Values.Count(m => m.Kind == kind && m.FromPeers));
                }

                foreach (var (kind, count) in kepler.ErrorCounts)
                {
                    keplerErrors.WithLabels(kind).IncTo(count);
                }

                foreach (var (kind, count) in kepler.RepairCounts)
                {
                    keplerRepairs.WithLabels(kind).IncTo(count);
                }

                var status = kepler.Status;
                if (status.LastReadingsAt is { } at)
                {
                    keplerLastReading.Set(at.ToUnixTimeMilliseconds() / 1000.0);
                }

                keplerRefreshSeconds.WithLabels("readings").Set(status.ReadingsSeconds);
                keplerRefreshSeconds.WithLabels("models").Set(status.ModelsSeconds);
            }
            foreach (var ((provider, kind), count) in intensityService.ErrorCounts())
            {
                providerErrors.WithLabels(provider, kind.ToString()).IncTo(count);
            }

            foreach (var (zone, provider, reading) in intensityService.LatestActuals())
            {
                actual.WithLabels(zone, provider).Set(reading.GramsPerKwh);
            }

            foreach (var error in intensityService.ForecastErrors())
            {
                forecastError.WithLabels(error.Zone, error.Source).Set(error.MeanAbsoluteErrorGramsPerKwh);
            }

            foreach (var status in intensityService.Status())
            {
                foreach (var link in Enum.GetValues<ForecastOrigin>())
                {
                    origin.WithLabels(status.Zone, link.ToString()).Set(status.Origin == link ? 1 : 0);
                }
            }
        });
    }

    public void RecordRequest(string verb, string outcome, TimeSpan elapsed) =>
        _requestSeconds.WithLabels(verb, outcome).Observe(elapsed.TotalSeconds);

    public void RecordScores(IReadOnlyList<NodeScore> scores)
    {
        foreach (var score in scores)
        {
            var key = (score.Reason.Zone ?? "unknown", score.Reason.Outcome);
            if (!_scoreChildren.TryGetValue(key, out var child))
            {
                child = _scoreChildren.GetOrAdd(key, k => _scores.WithLabels(k.Zone, OutcomeLabel(k.Outcome)));
            }

            child.Observe(score.Score);
            _scoredByPower[(int)score.Reason.PowerSource].Inc();
        }
    }

    public void RecordFault(string verb) => _faults.WithLabels(verb).Inc();

    public void RecordRejected(string reason) => _rejected.WithLabels(reason).Inc();

    public void RecordFiltered(string zone) => _filteredNodes.WithLabels(zone).Inc();

    private static string OutcomeLabel(ScoreOutcome outcome) => outcome switch
    {
        ScoreOutcome.Scored => "Scored",
        ScoreOutcome.ZoneUnknown => "ZoneUnknown",
        _ => "NoIntensity",
    };
}
