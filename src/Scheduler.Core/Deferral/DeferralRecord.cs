using System.Globalization;
using Scheduler.Core.Annotations;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Deferral;

/// <summary>
/// What the controller wrote on a Job: its state, its plan and how much it has run. The Job's own
/// annotations are the record, so that any replica, after any restart, knows where each Job stands.
/// </summary>
/// <param name="State">The state.</param>
/// <param name="Plan">The plan written, when there is one.</param>
/// <param name="Ran">How long an interruptible Job has run so far.</param>
/// <param name="Interruptions">How many times an interruptible Job has been suspended after running.</param>
public sealed record DeferralRecord(DeferralState State, DeferralPlan? Plan, TimeSpan Ran, int Interruptions = 0)
{
    /// <summary>The annotation holding the planned stretches of an interruptible Job (<c>start/end,start/end</c>, RFC 3339).</summary>
    public const string RunsAnnotation = CarbonAnnotations.Prefix + "planned-runs";

    /// <summary>The annotation holding how many seconds an interruptible Job has run.</summary>
    public const string RanAnnotation = CarbonAnnotations.Prefix + "ran-seconds";

    /// <summary>The annotation holding how many times an interruptible Job has been suspended after running.</summary>
    public const string InterruptionsAnnotation = CarbonAnnotations.Prefix + "interruptions";

    /// <summary>Reads the record from <paramref name="annotations"/>; unreadable parts are left out, never thrown.</summary>
    public static DeferralRecord Read(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(CarbonAnnotations.State, out var stateText) || !Enum.TryParse<DeferralState>(stateText, ignoreCase: true, out var state))
        {
            return new DeferralRecord(DeferralState.None, null, TimeSpan.Zero);
        }

        var ran = annotations.TryGetValue(RanAnnotation, out var ranText) && double.TryParse(ranText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
        var interruptions = annotations.TryGetValue(InterruptionsAnnotation, out var countText) && int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        return new DeferralRecord(state, ReadPlan(annotations), ran, interruptions);
    }

    /// <summary>
    /// When the controller must look at the Job again: a held or paused Job at its planned start and
    /// at its latest safe start (kept apart so that one lost wake-up never breaks the deadline); a
    /// released interruptible Job at the end of its stretch.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> WakeUps() => (State, Plan) switch
    {
        (DeferralState.Held or DeferralState.Paused, { } plan) => plan.LatestStart > plan.Start ? [plan.Start, plan.LatestStart] : [plan.Start],
        (DeferralState.Released, { Runs.Count: > 1 } plan) => [plan.Runs[0].End],
        _ => [],
    };

    /// <summary>The annotations that write this record (values to set; <c>null</c> to remove).</summary>
    public IReadOnlyDictionary<string, string?> ToAnnotations()
    {
        var annotations = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CarbonAnnotations.State] = State.ToString().ToLowerInvariant(),
            [RanAnnotation] = Ran > TimeSpan.Zero ? Ran.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) : null,
            [InterruptionsAnnotation] = Interruptions > 0 ? Interruptions.ToString(CultureInfo.InvariantCulture) : null,
        };
        if (Plan is { } plan)
        {
            annotations[CarbonAnnotations.PlannedStart] = Time(plan.Start);
            annotations[CarbonAnnotations.PlannedZone] = plan.Zone;
            annotations[CarbonAnnotations.LatestStart] = Time(plan.LatestStart);
            annotations[CarbonAnnotations.ExpectedIntensity] = Number(plan.ExpectedIntensity);
            annotations[CarbonAnnotations.BaselineIntensity] = Number(plan.BaselineIntensity);
            annotations[CarbonAnnotations.Reason] = plan.Reason;
            annotations[RunsAnnotation] = string.Join(',', plan.Runs.Select(r => $"{Time(r.Start)}/{Time(r.End)}"));
        }

        return annotations;
    }

    private static DeferralPlan? ReadPlan(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(RunsAnnotation, out var runsText) || !annotations.TryGetValue(CarbonAnnotations.LatestStart, out var latestText) || ParseTime(latestText) is not { } latest)
        {
            return null;
        }

        var runs = new List<RunChunk>();
        foreach (var part in runsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || ParseTime(part[..slash]) is not { } start || ParseTime(part[(slash + 1)..]) is not { } end || end <= start)
            {
                return null;
            }

            runs.Add(new RunChunk(start, end));
        }

        if (runs.Count == 0)
        {
            return null;
        }

        return new DeferralPlan(
            annotations.GetValueOrDefault(CarbonAnnotations.PlannedZone),
            runs,
            latest,
            ParseNumber(annotations.GetValueOrDefault(CarbonAnnotations.ExpectedIntensity)),
            ParseNumber(annotations.GetValueOrDefault(CarbonAnnotations.BaselineIntensity)),
            annotations.GetValueOrDefault(CarbonAnnotations.Reason) ?? string.Empty);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    private static double? ParseNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
