using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>
/// The carbon ledger: what the scheduler did with each Job and what it cost, kept so that savings can
/// be reported from recorded facts. Every write is idempotent (written twice, by a retry or by two
/// replicas, it counts once), so callers may retry freely.
/// </summary>
public interface ILedger
{
    /// <summary>Records a Job when the scheduler first acts on it; a second call for the same uid updates it.</summary>
    Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken);

    /// <summary>Records a plan; the same uid and time twice is one plan.</summary>
    Task RecordPlanAsync(LedgerPlan plan, CancellationToken cancellationToken);

    /// <summary>Records that a Job started (or resumed) a run; a run already started at that time is kept.</summary>
    Task RecordRunStartAsync(string uid, DateTimeOffset start, string zone, string? node, CancellationToken cancellationToken);

    /// <summary>Ends the Job's open run, if it has one; later calls change nothing.</summary>
    Task RecordRunEndAsync(string uid, DateTimeOffset endedAt, CancellationToken cancellationToken);

    /// <summary>Records how a Job ended and its energy; it also ends its open run at that time.</summary>
    Task RecordCompletionAsync(LedgerCompletion completion, CancellationToken cancellationToken);

    /// <summary>Records actual intensities; a zone's value at a time already recorded is replaced.</summary>
    Task RecordActualsAsync(IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken);

    /// <summary>Records the forecast issued at <paramref name="issued"/>; the same issue twice is one.</summary>
    Task RecordForecastAsync(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken);

    /// <summary>Records sampled node scoring decisions.</summary>
    Task RecordScoringSamplesAsync(IReadOnlyList<ScoringSample> samples, CancellationToken cancellationToken);

    /// <summary>The entries in the period (see <see cref="LedgerQuery"/>), in submission order.</summary>
    IAsyncEnumerable<LedgerEntry> ReadEntriesAsync(LedgerQuery query, CancellationToken cancellationToken);

    /// <summary>One entry by the Job's namespace and name (the latest one, if the name was reused), or <c>null</c>.</summary>
    Task<LedgerEntry?> FindEntryAsync(string jobNamespace, string name, CancellationToken cancellationToken);

    /// <summary>The plans made for a Job, in time order.</summary>
    Task<IReadOnlyList<LedgerPlan>> ReadPlansAsync(string uid, CancellationToken cancellationToken);

    /// <summary>The actual intensities of <paramref name="zones"/> (every zone when it is empty) in <c>[from, until)</c>, by zone and time.</summary>
    Task<IReadOnlyList<IntensityPoint>> ReadActualsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// For each step of <paramref name="zones"/> in <c>[from, until)</c>, the value of the latest forecast issued at
    /// least <paramref name="ahead"/> before it (the forecast a plan made that long before would have seen), by zone and time.
    /// </summary>
    Task<IReadOnlyList<IntensityPoint>> ReadForecastsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, TimeSpan ahead, CancellationToken cancellationToken);

    /// <summary>
    /// The forecast of each of <paramref name="zones"/> as it stood at <paramref name="issuedBy"/> (the latest issue at or
    /// before it, per zone), for the steps in <c>[from, until)</c>, by zone and time: what a plan made then saw.
    /// </summary>
    Task<IReadOnlyList<IntensityPoint>> ReadForecastIssuedByAsync(IReadOnlyCollection<string> zones, DateTimeOffset issuedBy, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The scoring samples in <c>[from, until)</c>, in time order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ScoringSample>> ReadScoringSamplesAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken);
}
