using Prometheus;
using Scheduler.Extender.Ledger;

namespace Scheduler.Extender.Telemetry;

/// <summary>The ledger writer's metrics: writes by kind and outcome, records dropped, and the length of its queue.</summary>
internal sealed class LedgerMetrics
{
    private static readonly LedgerWriteKind[] Kinds = Enum.GetValues<LedgerWriteKind>();

    // Children resolved once, indexed by kind (and outcome), so that counting never allocates.
    private readonly Counter.Child[] _ok;
    private readonly Counter.Child[] _failed;
    private readonly Counter.Child[] _rejected;
    private readonly Counter.Child?[] _dropped;
    private readonly Counter.Child[] _queuedRecords;
    private readonly Counter.Child[] _writtenRecords;
    private readonly Gauge _queueLength;

    public LedgerMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var writes = factory.CreateCounter(
            "carbon_ledger_writes_total",
            "Writes to the carbon ledger, by kind and outcome: ok, failed (kept and tried again) or rejected (invalid, dropped).",
            new CounterConfiguration { LabelNames = ["kind", "outcome"] });
        var dropped = factory.CreateCounter(
            "carbon_ledger_dropped_total",
            "Records dropped unwritten because the ledger queue was full (scoring samples first, then forecasts, then actuals; never Job facts).",
            new CounterConfiguration { LabelNames = ["kind"] });
        var queuedRecords = factory.CreateCounter(
            "carbon_ledger_queued_records_total",
            "Records queued for the carbon ledger, by kind: each ends written, dropped (queue full) or rejected (invalid).",
            new CounterConfiguration { LabelNames = ["kind"] });
        var writtenRecords = factory.CreateCounter(
            "carbon_ledger_written_records_total",
            "Records written to the carbon ledger, by kind (one write may carry many).",
            new CounterConfiguration { LabelNames = ["kind"] });
        _queueLength = factory.CreateGauge(
            "carbon_ledger_queue_length",
            "Records waiting to be written to the carbon ledger: one per Job fact, intensity point or scoring sample.");
        _queuedRecords = [.. Kinds.Select(kind => queuedRecords.WithLabels(Label(kind)))];
        _writtenRecords = [.. Kinds.Select(kind => writtenRecords.WithLabels(Label(kind)))];
        _ok = [.. Kinds.Select(kind => writes.WithLabels(Label(kind), "ok"))];
        _failed = [.. Kinds.Select(kind => writes.WithLabels(Label(kind), "failed"))];
        _rejected = [.. Kinds.Select(kind => writes.WithLabels(Label(kind), "rejected"))];
        // Only these kinds are ever dropped; Job facts are not.
        _dropped = [.. Kinds.Select(kind => kind is LedgerWriteKind.ScoringSamples or LedgerWriteKind.Forecast or LedgerWriteKind.Actuals ? dropped.WithLabels(Label(kind)) : null)];
    }

    /// <summary>The <c>kind</c> label of <paramref name="kind"/>, e.g. <c>scoring_samples</c>.</summary>
    public static string Label(LedgerWriteKind kind) => kind switch
    {
        LedgerWriteKind.Submission => "submission",
        LedgerWriteKind.Plan => "plan",
        LedgerWriteKind.RunStart => "run_start",
        LedgerWriteKind.RunEnd => "run_end",
        LedgerWriteKind.Completion => "completion",
        LedgerWriteKind.Actuals => "actuals",
        LedgerWriteKind.Forecast => "forecast",
        _ => "scoring_samples",
    };

    public void Queued(LedgerWriteKind kind, int records) => _queuedRecords[(int)kind].Inc(records);

    public void Written(LedgerWriteKind kind, int records)
    {
        _ok[(int)kind].Inc();
        _writtenRecords[(int)kind].Inc(records);
    }

    public void Failed(LedgerWriteKind kind) => _failed[(int)kind].Inc();

    public void Rejected(LedgerWriteKind kind) => _rejected[(int)kind].Inc();

    public void Dropped(LedgerWriteKind kind, int records) => _dropped[(int)kind]?.Inc(records);

    public void QueueLength(int records) => _queueLength.Set(records);
}
