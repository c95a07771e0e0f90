using System.Runtime.CompilerServices;
using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>The in-memory ledger's reads, each a copy taken under the one lock.</summary>
public sealed partial class InMemoryLedger
{
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
        var lastPlan = _plans.TryGetValue(submission.Uid, out var plans) && plans.Count > 0 ? plans.Values[^1] : null;
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
            lastPlan?.ExpectedIntensity,
            lastPlan?.PlannedStart,
            lastPlan?.Zone,
            submission.CandidateNodeCounts);
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
}
