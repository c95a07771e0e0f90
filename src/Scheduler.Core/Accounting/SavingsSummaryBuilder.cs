namespace Scheduler.Core.Accounting;

/// <summary>
/// Adds accounted Jobs up into a <see cref="SavingsSummary"/> one at a time, keeping only totals and the
/// few Jobs that saved most, so that a report over millions of Jobs needs memory for the totals only.
/// </summary>
public sealed class SavingsSummaryBuilder
{
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _until;
    private readonly int _topJobs;
    private readonly SavingsTotals _total = new();
    private readonly SortedDictionary<string, SavingsTotals> _byNamespace = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SavingsTotals> _byTeam = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(DateTimeOffset Start, string Namespace), SavingsTotals> _buckets = new();

    // The smallest saving on top: it is the one a larger one pushes out.
    private readonly PriorityQueue<JobEmissions, double> _top = new();

    /// <summary>Starts a summary of <c>[from, until)</c>.</summary>
    /// <param name="from">The start of the period.</param>
    /// <param name="until">The end of the period (exclusive).</param>
    /// <param name="topJobs">How many of the Jobs that saved most to keep.</param>
    public SavingsSummaryBuilder(DateTimeOffset from, DateTimeOffset until, int topJobs = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(until, from);
        ArgumentOutOfRangeException.ThrowIfNegative(topJobs);
        _from = from.ToUniversalTime();
        _until = until.ToUniversalTime();
        _topJobs = topJobs;
        BucketLength = BucketFor(_until - _from);
    }

    /// <summary>The length of the stretches the period is cut into.</summary>
    public TimeSpan BucketLength { get; }

    /// <summary>Hours for up to two days, days for up to three months, weeks beyond: a few dozen bars to a chart.</summary>
    public static TimeSpan BucketFor(TimeSpan period) =>
        period <= TimeSpan.FromDays(2) ? TimeSpan.FromHours(1)
        : period <= TimeSpan.FromDays(92) ? TimeSpan.FromDays(1)
        : TimeSpan.FromDays(7);

    /// <summary>Adds one Job.</summary>
    public void Add(JobEmissions job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var entry = job.Entry;
        _total.Add(job);
        Totals(_byNamespace, entry.Namespace).Add(job);
        Totals(_byTeam, entry.Team ?? string.Empty).Add(job);

        // A Job counts in the stretch it completed in; one still running, in the stretch it was submitted in.
        var at = (entry.Completed ?? entry.Submitted).ToUniversalTime();
        var offset = at < _from ? TimeSpan.Zero : at >= _until ? _until - _from - TimeSpan.FromTicks(1) : at - _from;
        var start = _from + TimeSpan.FromTicks(offset.Ticks / BucketLength.Ticks * BucketLength.Ticks);
        var key = (start, entry.Namespace);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            _buckets[key] = bucket = new SavingsTotals();
        }

        bucket.Add(job);

        if (job.Status == AccountingStatus.Accounted && _topJobs > 0)
        {
            if (_top.Count < _topJobs)
            {
                _top.Enqueue(job, job.SavedGrams);
            }
            else if (_top.TryPeek(out _, out var smallest) && job.SavedGrams > smallest)
            {
                _top.DequeueEnqueue(job, job.SavedGrams);
            }
        }
    }

    /// <summary>The summary of every Job added.</summary>
    /// <param name="filledIntensitySteps">Per zone, the intensity steps that carried the previous value.</param>
    public SavingsSummary Build(IReadOnlyDictionary<string, int> filledIntensitySteps)
    {
        var top = _top.UnorderedItems.Select(i => i.Element).OrderByDescending(j => j.SavedGrams).ThenBy(j => j.Entry.Uid, StringComparer.Ordinal).ToList();
        return new SavingsSummary(
            _from,
            _until,
            BucketLength,
            _total,
            _byNamespace,
            _byTeam,
            [.. _buckets.Select(b => new SavingsBucket(b.Key.Start, b.Key.Namespace, b.Value))],
            top,
            filledIntensitySteps);
    }

    private static SavingsTotals Totals(SortedDictionary<string, SavingsTotals> map, string key)
    {
        if (!map.TryGetValue(key, out var totals))
        {
            map[key] = totals = new SavingsTotals();
        }

        return totals;
    }
}
