using System.Runtime.CompilerServices;
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
public sealed class InMemoryLedger : ILedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<DateTimeOffset, LedgerPlan>> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<DateTimeOffset, RunRecord>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<DateTimeOffset, double>> _actuals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneForecasts> _forecasts = new(StringComparer.Ordinal);
    private readonly HashSet<(DateTimeOffset, string, string, string)> _sampleKeys = [];
    private readonly List<ScoringSample> _samples = [];

    /// <inheritdoc />
    public Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken)
    {
        LedgerValues.Check(submission);
        var normalised = submission with
        {
            Submitted = LedgerValues.Time(submission.Submitted),
            Deadline = LedgerValues.Time(submission.Deadline),
            CandidateZones = [.. submission.CandidateZones],
        };
        lock (_gate)
        {
            if (_jobs.TryGetValue(submission.Uid, out var job))
            {
                job.Submission = normalised;
            }
            else
            {
                _jobs.Add(submission.Uid, new JobRecord(normalised));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordPlanAsync(LedgerPlan plan, CancellationToken cancellationToken)
    {
        LedgerValues.Check(plan);
        var normalised = plan with
        {
            At = LedgerValues.Time(plan.At),
            PlannedStart = LedgerValues.Time(plan.PlannedStart),
            LatestStart = LedgerValues.Time(plan.LatestStart),
        };
        lock (_gate)
        {
            var plans = GetOrAdd(_plans, plan.Uid);
            plans.TryAdd(normalised.At, normalised);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordRunStartAsync(string uid, DateTimeOffset start, string zone, string? node, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        start = LedgerValues.Time(start);
        lock (_gate)
        {
            var runs = GetOrAdd(_runs, uid);
            if (runs.ContainsKey(start))
            {
                return Task.CompletedTask;
            }

            // Runs never overlap. A start while the run before it is open means its pause was missed: that run
            // ended when this one began (as it did if it was recorded as ending later).
            var previous = runs.Values.LastOrDefault(r => r.Start < start);
            if (previous is not null && (previous.End is null || previous.End > start))
            {
                previous.End = start;
            }

            // A start that arrives after a later one ran until that later one began.
            DateTimeOffset? end = null;
            foreach (var later in runs.Keys)
            {
                if (later > start)
                {
                    end = later;
                    break;
                }
            }

            runs.Add(start, new RunRecord(start, zone, node) { End = end });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordRunEndAsync(string uid, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        endedAt = LedgerValues.Time(endedAt);
        lock (_gate)
        {
            if (_runs.TryGetValue(uid, out var runs))
            {
                foreach (var run in runs.Values)
                {
                    if (run.End is null && run.Start <= endedAt)
                    {
                        run.End = endedAt;
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordCompletionAsync(LedgerCompletion completion, CancellationToken cancellationToken)
    {
        LedgerValues.Check(completion);
        var at = LedgerValues.Time(completion.At);
        lock (_gate)
        {
            if (_jobs.TryGetValue(completion.Uid, out var job) && job.Completion is null)
            {
                job.Completion = completion with
                {
                    At = at,
                    Holding = completion.Holding is { } h ? h with { From = LedgerValues.Time(h.From), To = LedgerValues.Time(h.To) } : null,
                };
            }

            if (_runs.TryGetValue(completion.Uid, out var runs))
            {
                foreach (var run in runs.Values)
                {
                    if (run.End is null)
                    {
                        run.End = run.Start > at ? run.Start : at;
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordActualsAsync(IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(points, lastWins: true);
        lock (_gate)
        {
            foreach (var point in distinct)
            {
                GetOrAdd(_actuals, point.Zone)[point.At] = point.GramsPerKwh;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordForecastAsync(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(points, lastWins: false);
        issued = LedgerValues.Time(issued);
        lock (_gate)
        {
            foreach (var point in distinct)
            {
                var forecasts = GetOrAdd(_forecasts, point.Zone);
                forecasts.Issues.Add(issued);
                if (!forecasts.Steps.TryGetValue(point.At, out var issues))
                {
                    issues = [];
                    forecasts.Steps.Add(point.At, issues);
                }

                issues.TryAdd(issued, point.GramsPerKwh);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordScoringSamplesAsync(IReadOnlyList<ScoringSample> samples, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(samples);
        lock (_gate)
        {
            foreach (var sample in distinct)
            {
                if (_sampleKeys.Add(LedgerValues.DecisionKey(sample)))
                {
                    _samples.Add(sample);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadEntriesAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LedgerValues.Check(query);
        var from = LedgerValues.Time(query.From);
        var until = LedgerValues.Time(query.To);
        List<LedgerEntry> entries;
        lock (_gate)
        {
            entries = [.. _jobs.Values
                .Where(job => job.Completion is { } completion
                    ? completion.At >= from && completion.At < until
                    : job.Submission.Submitted >= from && job.Submission.Submitted < until)
                .Where(job => query.Namespace is null || string.Equals(job.Submission.Namespace, query.Namespace, StringComparison.Ordinal))
                .Where(job => query.Team is null || string.Equals(job.Submission.Team, query.Team, StringComparison.Ordinal))
                .OrderBy(job => job.Submission.Submitted)
                .ThenBy(job => job.Submission.Uid, StringComparer.Ordinal)
                .Select(EntryOf)];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    /// <inheritdoc />
    public Task<LedgerEntry?> FindEntryAsync(string jobNamespace, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            var job = _jobs.Values
                .Where(j => string.Equals(j.Submission.Namespace, jobNamespace, StringComparison.Ordinal) && string.Equals(j.Submission.Name, name, StringComparison.Ordinal))
                .OrderByDescending(j => j.Submission.Submitted)
                .ThenByDescending(j => j.Submission.Uid, StringComparer.Ordinal)
                .FirstOrDefault();
            return Task.FromResult(job is null ? null : EntryOf(job));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LedgerPlan>> ReadPlansAsync(string uid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        lock (_gate)
        {
            IReadOnlyList<LedgerPlan> plans = _plans.TryGetValue(uid, out var kept) ? [.. kept.Values] : [];
            return Task.FromResult(plans);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IntensityPoint>> ReadActualsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var wanted = LedgerValues.Zones(zones);
        from = LedgerValues.Time(from);
        until = LedgerValues.Time(until);
        var result = new List<IntensityPoint>();
        lock (_gate)
        {
            foreach (var zone in ZonesOf(_actuals, wanted))
            {
                if (_actuals.TryGetValue(zone, out var values))
                {
                    result.AddRange(values.Where(v => v.Key >= from && v.Key < until).Select(v => new IntensityPoint(zone, v.Key, v.Value)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<IntensityPoint>>(result);
    }

    /// <inheritdoc />
    /// <remarks>Every zone when <paramref name="zones"/> is empty, as for <see cref="ReadActualsAsync"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ahead"/> is negative.</exception>
    public Task<IReadOnlyList<IntensityPoint>> ReadForecastsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, TimeSpan ahead, CancellationToken cancellationToken)
    {
        var wanted = LedgerValues.Zones(zones);
        ArgumentOutOfRangeException.ThrowIfLessThan(ahead, TimeSpan.Zero);
        from = LedgerValues.Time(from);
        until = LedgerValues.Time(until);
        var result = new List<IntensityPoint>();
        lock (_gate)
        {
            foreach (var zone in ZonesOf(_forecasts, wanted))
            {
                if (!_forecasts.TryGetValue(zone, out var forecasts))
                {
                    continue;
                }

                foreach (var (at, issues) in forecasts.Steps.Where(s => s.Key >= from && s.Key < until))
                {
                    if (LatestAtOrBefore(issues, at - ahead) is { } value)
                    {
                        result.Add(new IntensityPoint(zone, at, value));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<IntensityPoint>>(result);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every zone when <paramref name="zones"/> is empty, as for <see cref="ReadActualsAsync"/>. Only the latest issue
    /// counts: a step it does not cover is missing from the answer, even if an earlier issue covered it.
    /// </remarks>
    public Task<IReadOnlyList<IntensityPoint>> ReadForecastIssuedByAsync(IReadOnlyCollection<string> zones, DateTimeOffset issuedBy, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var wanted = LedgerValues.Zones(zones);
        issuedBy = LedgerValues.Time(issuedBy);
        from = LedgerValues.Time(from);
        until = LedgerValues.Time(until);
        var result = new List<IntensityPoint>();
        lock (_gate)
        {
            foreach (var zone in ZonesOf(_forecasts, wanted))
            {
                if (!_forecasts.TryGetValue(zone, out var forecasts)
                    || forecasts.Issues.Count == 0
                    || forecasts.Issues.Min > issuedBy)
                {
                    continue;
                }

                var latest = forecasts.Issues.GetViewBetween(forecasts.Issues.Min, issuedBy).Max;
                foreach (var (at, issues) in forecasts.Steps.Where(s => s.Key >= from && s.Key < until))
                {
                    if (issues.TryGetValue(latest, out var value))
                    {
                        result.Add(new IntensityPoint(zone, at, value));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<IntensityPoint>>(result);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoringSample>> ReadScoringSamplesAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        from = LedgerValues.Time(from);
        until = LedgerValues.Time(until);
        lock (_gate)
        {
            // OrderBy is stable: samples of the same instant stay in the order they were recorded.
            IReadOnlyList<ScoringSample> samples = [.. _samples.Where(s => s.At >= from && s.At < until).OrderBy(s => s.At).Take(limit)];
            return Task.FromResult(samples);
        }
    }

    private LedgerEntry EntryOf(JobRecord job)
    {
        var submission = job.Submission;
        var completion = job.Completion;
        IReadOnlyList<RecordedRun> runs = _runs.TryGetValue(submission.Uid, out var kept)
            ? [.. kept.Values.Where(r => r.End is not null).Select(r => new RecordedRun(r.Start, r.End!.Value, r.Zone, r.Node))]
            : [];
        double? plannedIntensity = _plans.TryGetValue(submission.Uid, out var plans) && plans.Count > 0
            ? plans.Values[^1].ExpectedIntensity
            : null;
        return new LedgerEntry(
            submission.Uid,
            submission.Namespace,
            submission.Name,
            submission.Team,
            submission.Submitted,
            submission.CandidateZones,
            submission.Deferred,
            runs,
            completion?.Energy,
            completion?.Holding,
            completion?.EmbodiedGrams,
            submission.Kind,
            submission.Deadline,
            completion?.At,
            completion?.Outcome,
            plannedIntensity);
    }

    private static double? LatestAtOrBefore(SortedList<DateTimeOffset, double> issues, DateTimeOffset latestIssue)
    {
        // Binary search for the last issue at or before latestIssue.
        var keys = issues.Keys;
        int low = 0, high = keys.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (keys[middle] <= latestIssue)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0 ? null : issues.Values[found];
    }

    // The zones asked for, or every zone held when none are; in ordinal order either way.
    private static IEnumerable<string> ZonesOf<TValue>(Dictionary<string, TValue> held, string[] wanted) =>
        (wanted.Length > 0 ? wanted : (IEnumerable<string>)held.Keys).Order(StringComparer.Ordinal);

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
