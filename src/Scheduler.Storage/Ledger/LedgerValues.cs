using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>
/// What both ledgers do to the values they are given before keeping them, so that they keep exactly the same
/// thing: argument checks, times in UTC to the microsecond (PostgreSQL's precision), and the names energy
/// sources are stored by.
/// </summary>
internal static class LedgerValues
{
    /// <summary>How an energy source is stored.</summary>
    public const string Measured = "measured";

    /// <summary>How an energy source is stored.</summary>
    public const string Estimated = "estimated";

    /// <summary><paramref name="time"/> in UTC, cut to the microsecond as <c>timestamptz</c> keeps it.</summary>
    public static DateTimeOffset Time(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary><paramref name="time"/> as <see cref="Time(DateTimeOffset)"/>, or <c>null</c>.</summary>
    public static DateTimeOffset? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    /// <summary>The stored name of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown source.</exception>
    public static string SourceName(EnergySource source) => source switch
    {
        EnergySource.Measured => Measured,
        EnergySource.Estimated => Estimated,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown energy source."),
    };

    /// <summary>The source stored as <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">A name no release writes.</exception>
    public static EnergySource Source(string name) => name switch
    {
        Measured => EnergySource.Measured,
        Estimated => EnergySource.Estimated,
        _ => throw new InvalidOperationException($"The ledger holds an unknown energy source '{name}'."),
    };

    /// <summary>Checks a submission.</summary>
    public static void Check(LedgerSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Uid, nameof(submission));
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Kind, nameof(submission));
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Namespace, nameof(submission));
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Name, nameof(submission));
        ArgumentNullException.ThrowIfNull(submission.CandidateZones, nameof(submission));
        if (submission.CandidateNodeCounts is { } counts && (counts.Count != submission.CandidateZones.Count || counts.Any(c => c < 0)))
        {
            throw new ArgumentException("A submission's candidate node counts must give one count, not negative, per candidate zone.", nameof(submission));
        }
    }

    /// <summary>Checks a plan.</summary>
    public static void Check(LedgerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(plan.Uid, nameof(plan));
        ArgumentNullException.ThrowIfNull(plan.Reason, nameof(plan));
    }

    /// <summary>Checks a completion.</summary>
    public static void Check(LedgerCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentException.ThrowIfNullOrWhiteSpace(completion.Uid, nameof(completion));
        ArgumentException.ThrowIfNullOrWhiteSpace(completion.Outcome, nameof(completion));
        if (completion.Holding is { } holding)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(holding.Zone, nameof(completion));
        }
    }

    /// <summary>Checks a query.</summary>
    public static void Check(LedgerQuery query) => ArgumentNullException.ThrowIfNull(query);

    /// <summary>
    /// <paramref name="points"/> checked, with times normalised and one point per key: the last one given when
    /// <paramref name="lastWins"/>, else the first, as the database keeps them.
    /// </summary>
    public static List<IntensityPoint> Distinct(IReadOnlyList<IntensityPoint> points, bool lastWins)
    {
        ArgumentNullException.ThrowIfNull(points);
        var kept = new Dictionary<(string Zone, DateTimeOffset At), int>();
        var result = new List<IntensityPoint>(points.Count);
        foreach (var point in points)
        {
            ArgumentNullException.ThrowIfNull(point, nameof(points));
            ArgumentException.ThrowIfNullOrWhiteSpace(point.Zone, nameof(points));
            var normalised = point with { At = Time(point.At) };
            if (kept.TryGetValue((normalised.Zone, normalised.At), out var index))
            {
                if (lastWins)
                {
                    result[index] = normalised;
                }
            }
            else
            {
                kept.Add((normalised.Zone, normalised.At), result.Count);
                result.Add(normalised);
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="samples"/> checked, with times normalised and one sample per decision (time, pod, node),
    /// the first one given.
    /// </summary>
    public static List<ScoringSample> Distinct(IReadOnlyList<ScoringSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var seen = new HashSet<(DateTimeOffset, string, string, string)>();
        var result = new List<ScoringSample>(samples.Count);
        foreach (var sample in samples)
        {
            ArgumentNullException.ThrowIfNull(sample, nameof(samples));
            ArgumentNullException.ThrowIfNull(sample.Namespace, nameof(samples));
            ArgumentNullException.ThrowIfNull(sample.Pod, nameof(samples));
            ArgumentNullException.ThrowIfNull(sample.Node, nameof(samples));
            ArgumentNullException.ThrowIfNull(sample.Reason, nameof(samples));
            var normalised = sample with { At = Time(sample.At) };
            if (seen.Add(DecisionKey(normalised)))
            {
                result.Add(normalised);
            }
        }

        return result;
    }

    /// <summary>What makes a scoring sample one decision.</summary>
    public static (DateTimeOffset At, string Namespace, string Pod, string Node) DecisionKey(ScoringSample sample) =>
        (sample.At, sample.Namespace, sample.Pod, sample.Node);

    /// <summary>The distinct zones asked for.</summary>
    public static string[] Zones(IReadOnlyCollection<string> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return [.. zones.Where(z => z is not null).Distinct(StringComparer.Ordinal)];
    }
}
