using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>The in-memory ledger's writes, each under the one lock.</summary>
public sealed partial class InMemoryLedger
{
    /// <inheritdoc />
    public Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken)
    {
        LedgerValues.Check(submission);
        var normalised = submission with
        {
            Submitted = LedgerValues.Time(submission.Submitted),
            Deadline = LedgerValues.Time(submission.Deadline),
            CandidateZones = [.. submission.CandidateZones],
            CandidateNodeCounts = submission.CandidateNodeCounts is { } counts ? [.. counts] : null,
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
}
