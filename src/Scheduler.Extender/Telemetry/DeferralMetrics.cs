using Prometheus;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Extender.Telemetry;

/// <summary>The deferral controller's metrics: Jobs by state (the leader's view), decisions, and the slack of waiting Jobs.</summary>
internal sealed class DeferralMetrics
{
    private static readonly DeferralState[] States = [DeferralState.Held, DeferralState.Paused, DeferralState.Released, DeferralState.Completed];

    private static readonly Dictionary<DeferralState, int> NoJobs = [];

    public DeferralMetrics(CollectorRegistry registry, JobWatcher watcher, DeferralHost host, DeferralController controller)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(controller);
        var factory = Metrics.WithCustomRegistry(registry);
        var jobs = factory.CreateGauge(
            "carbon_deferral_jobs",
            "Jobs with carbon annotations by deferral state, as the leader's watch sees them (0 on other replicas).",
            new GaugeConfiguration { LabelNames = ["state"] });
        registry.AddBeforeCollectCallback(() =>
        {
            // Only the leader watches Jobs. A replica that stopped leading still holds its last watch's copies:
            // counted, they would count every Job twice across replicas, and never change.
            var counts = host.IsLeader ? watcher.CountByState() : NoJobs;
            foreach (var state in States)
            {
                jobs.WithLabels(state.ToString().ToLowerInvariant()).Set(counts.GetValueOrDefault(state));
            }
        });
        var decisions = factory.CreateCounter(
            "carbon_deferral_decisions_total",
            "Decisions carried out on Jobs and Pods, by action: hold, release, pause, keep, markreleased, complete, reportinvalid, recorddryrun.",
            new CounterConfiguration { LabelNames = ["action"] });
        var slack = factory.CreateHistogram(
            "carbon_deferral_slack_seconds",
            "At each hold or pause decision, the seconds left until the Job's latest safe start.",
            new HistogramConfiguration { Buckets = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 48 * 3600] });
        controller.Decided += (_, decided) =>
        {
            decisions.WithLabels(decided.Action.GetType().Name.ToLowerInvariant()).Inc();
            if (decided.Slack is { } left)
            {
                slack.Observe(Math.Max(0, left.TotalSeconds));
            }
        };
    }
}
