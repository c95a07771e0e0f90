using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Ledger;

/// <summary>One write queued for the ledger. Every ledger write is idempotent, so a write may be tried again freely.</summary>
internal sealed class LedgerWrite
{
    private readonly Func<ILedger, CancellationToken, Task> _write;

    private LedgerWrite(LedgerWriteKind kind, int records, Func<ILedger, CancellationToken, Task> write, SampledScores? scores = null, LedgerCompletion? completion = null)
    {
        Kind = kind;
        Records = records;
        _write = write;
        Scores = scores;
        Completed = completion;
    }

    /// <summary>What it records.</summary>
    public LedgerWriteKind Kind { get; }

    /// <summary>How many records it holds: 1 for a Job fact, one per intensity point or node sample.</summary>
    public int Records { get; }

    /// <summary>The scores of a scoring write (which the writer merges with its neighbours), else <c>null</c>.</summary>
    public SampledScores? Scores { get; }

    /// <summary>The completion of a completion write (reported once written), else <c>null</c>.</summary>
    public LedgerCompletion? Completed { get; }

    /// <summary>
    /// Where a full queue drops it: scoring samples first (0), then forecasts (1), then actuals (2); <c>-1</c> for
    /// Job facts, which are never dropped.
    /// </summary>
    public int DropRank => Kind switch
    {
        LedgerWriteKind.ScoringSamples => 0,
        LedgerWriteKind.Forecast => 1,
        LedgerWriteKind.Actuals => 2,
        _ => -1,
    };

    public static LedgerWrite Submission(LedgerSubmission submission) =>
        new(LedgerWriteKind.Submission, 1, (ledger, token) => ledger.RecordSubmissionAsync(submission, token));

    public static LedgerWrite Plan(LedgerPlan plan) =>
        new(LedgerWriteKind.Plan, 1, (ledger, token) => ledger.RecordPlanAsync(plan, token));

    public static LedgerWrite RunStart(string uid, DateTimeOffset start, string zone, string? node) =>
        new(LedgerWriteKind.RunStart, 1, (ledger, token) => ledger.RecordRunStartAsync(uid, start, zone, node, token));

    public static LedgerWrite RunEnd(string uid, DateTimeOffset endedAt) =>
        new(LedgerWriteKind.RunEnd, 1, (ledger, token) => ledger.RecordRunEndAsync(uid, endedAt, token));

    public static LedgerWrite Completion(LedgerCompletion completion) =>
        new(LedgerWriteKind.Completion, 1, (ledger, token) => ledger.RecordCompletionAsync(completion, token), completion: completion);

    public static LedgerWrite Actuals(IReadOnlyList<IntensityPoint> points) =>
        new(LedgerWriteKind.Actuals, points.Count, (ledger, token) => ledger.RecordActualsAsync(points, token));

    public static LedgerWrite Forecast(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points) =>
        new(LedgerWriteKind.Forecast, points.Count, (ledger, token) => ledger.RecordForecastAsync(issued, points, token));

    public static LedgerWrite Scoring(SampledScores scores) =>
        new(LedgerWriteKind.ScoringSamples, scores.Scores.Count, (ledger, token) => ledger.RecordScoringSamplesAsync(Samples([scores]), token), scores);

    /// <summary>Writes it.</summary>
    public Task WriteAsync(ILedger ledger, CancellationToken cancellationToken) => _write(ledger, cancellationToken);

    /// <summary>The samples of several sampled pods, in order: one ledger call for consecutive scoring writes.</summary>
    public static List<ScoringSample> Samples(IEnumerable<SampledScores> pods)
    {
        var samples = new List<ScoringSample>();
        foreach (var pod in pods)
        {
            pod.AddSamplesTo(samples);
        }

        return samples;
    }
}
