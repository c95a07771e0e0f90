using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>
/// The ledger of the embedded default (no <see cref="StorageOptions.ConnectionString"/>): the same semantics as
/// <see cref="PostgresLedger"/> (its members' remarks say how runs, completions and forecasts are treated), kept in
/// this process. Thread-safe: every call takes one lock.
/// </summary>
/// <remarks>
/// It is unbounded: nothing is ever dropped, so it grows with every Job, intensity and sample recorded until the
/// process ends, and everything is lost then. That is fine for evaluation and tests; a cluster that reports savings
/// over weeks should configure PostgreSQL. Times are kept in UTC to the microsecond, as PostgreSQL keeps them, so
/// both ledgers give the same answers.
/// </remarks>
public sealed partial class InMemoryLedger : ILedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<DateTimeOffset, LedgerPlan>> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<DateTimeOffset, RunRecord>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<DateTimeOffset, double>> _actuals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneForecasts> _forecasts = new(StringComparer.Ordinal);
    private readonly HashSet<(DateTimeOffset, string, string, string)> _sampleKeys = [];
    private readonly List<ScoringSample> _samples = [];

    private static TValue GetOrAdd<TValue>(Dictionary<string, TValue> dictionary, string key)
        where TValue : new()
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            value = new TValue();
            dictionary.Add(key, value);
        }

        return value;
    }

    private sealed class JobRecord(LedgerSubmission submission)
    {
        public LedgerSubmission Submission { get; set; } = submission;

        public LedgerCompletion? Completion { get; set; }
    }

    private sealed class ZoneForecasts
    {
        // When each issue was made, to find the latest one at or before a time.
        public SortedSet<DateTimeOffset> Issues { get; } = [];

        // For each step, the value of every issue that covered it.
        public SortedDictionary<DateTimeOffset, SortedList<DateTimeOffset, double>> Steps { get; } = [];
    }

    private sealed class RunRecord(DateTimeOffset start, string zone, string? node)
    {
        public DateTimeOffset Start { get; } = start;

        public string Zone { get; } = zone;

        public string? Node { get; } = node;

        public DateTimeOffset? End { get; set; }
    }
}
