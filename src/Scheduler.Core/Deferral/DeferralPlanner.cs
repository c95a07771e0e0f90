using System.Globalization;
using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Deferral;

/// <summary>
/// Plans a held Job: the cleanest window (or, for an interruptible Job, the cleanest stretches)
/// before its deadline less a safety margin, across the zones it may run in. The deadline is a
/// promise: no plan starts after <see cref="DeferralPlan.LatestStart"/>, and a Job that cannot be
/// planned, or would save too little, runs at once.
/// </summary>
public static class DeferralPlanner
{
    /// <summary>The plan of <paramref name="request"/> at <paramref name="now"/>.</summary>
    /// <param name="request">What the Job asks for.</param>
    /// <param name="now">The time of the decision.</param>
    /// <param name="zones">The forecast of each zone the Job could run in, the zone it would run in without us first.</param>
    /// <param name="settings">The planner's settings.</param>
    /// <param name="alreadyRun">How much of the Job has run (an interruptible Job resumed later).</param>
    public static DeferralPlan Plan(
        DeferralRequest request,
        DateTimeOffset now,
        IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones,
        DeferralSettings settings,
        TimeSpan alreadyRun = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(settings);
        var remaining = request.Duration - alreadyRun;
        if (remaining <= TimeSpan.Zero)
        {
            remaining = TimeSpan.FromMinutes(1);
        }

        var finishBy = request.Deadline - settings.SafetyMargin;
        var latest = finishBy - remaining;
        double? baseline = zones.Count > 0 ? zones[0].Forecast.MeanOver(now, now + remaining) : null;
        DeferralPlan AtOnce(string reason) => new(null, [new RunChunk(now, now + remaining)], latest, baseline, baseline, reason);

        if (request.ReleaseNow)
        {
            return AtOnce("released at once: carbon-aware.io/release-now is set");
        }

        if (latest <= now)
        {
            return AtOnce(Text($"no slack: a {Hours(remaining)} run had to start by {latest:yyyy-MM-ddTHH:mm}Z to finish {Minutes(settings.SafetyMargin)} before the deadline {request.Deadline:yyyy-MM-ddTHH:mm}Z"));
        }

        if (zones.Count == 0)
        {
            return AtOnce("no carbon forecast for the zones this Job can run in");
        }

        var planned = request.Interruptible
            ? Interruptible(zones, now, finishBy, remaining, settings)
            : Whole(zones, now, finishBy, remaining);
        if (planned is not { } plan)
        {
            return AtOnce(Text($"the forecasts do not cover a {Hours(remaining)} run between now and {finishBy:yyyy-MM-ddTHH:mm}Z"));
        }

        var saved = baseline is > 0 ? 100 * (baseline.Value - plan.Mean) / baseline.Value : 0;
        if (plan.Runs[0].Start <= now)
        {
            return new DeferralPlan(plan.Zone, plan.Runs, latest, plan.Mean, baseline, Text($"now is the cleanest time in {plan.Zone}: {plan.Mean:0} gCO2eq/kWh expected"));
        }

        if (saved < settings.MinimumImprovementPercent)
        {
            return AtOnce(Text($"runs now: the cleanest plan ({plan.Zone}, {plan.Runs[0].Start:yyyy-MM-ddTHH:mm}Z) would save only {saved:0.#} %"));
        }

        var stretches = plan.Runs.Count > 1 ? Text($" in {plan.Runs.Count} stretches") : string.Empty;
        return new DeferralPlan(
            plan.Zone,
            plan.Runs,
            latest,
            plan.Mean,
            baseline,
            Text($"held until {plan.Runs[0].Start:yyyy-MM-ddTHH:mm}Z in {plan.Zone}{stretches}: {plan.Mean:0} gCO2eq/kWh expected against {baseline:0} now ({saved:0.#} % less); latest safe start {latest:yyyy-MM-ddTHH:mm}Z"));
    }

    /// <summary>
    /// The plan after a forecast refresh: a new plan only when it is cleaner than the current one (on
    /// the new forecasts) by at least <see cref="DeferralSettings.MinimumImprovementPercent"/>, or when
    /// the current one no longer meets the deadline; otherwise the current times with refreshed figures.
    /// </summary>
    public static DeferralPlan Replan(
        DeferralPlan current,
        DeferralRequest request,
        DateTimeOffset now,
        IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones,
        DeferralSettings settings,
        TimeSpan alreadyRun = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var candidate = Plan(request, now, zones, settings, alreadyRun);
        if (request.ReleaseNow || current.Runs[^1].End > request.Deadline - settings.SafetyMargin || !current.HoldsAt(now))
        {
            return candidate;
        }

        var forecast = zones.FirstOrDefault(z => z.Zone == current.Zone).Forecast;
        if (forecast is null || MeanOver(forecast, current.Runs) is not { } currentMean)
        {
            return candidate;
        }

        var improvement = currentMean > 0 && candidate.ExpectedIntensity is { } better ? 100 * (currentMean - better) / currentMean : 0;
        return improvement >= settings.MinimumImprovementPercent
            ? candidate with { Reason = Text($"moved ({improvement:0.#} % cleaner than the previous plan): {candidate.Reason}") }
            : current with { ExpectedIntensity = currentMean, BaselineIntensity = candidate.BaselineIntensity, LatestStart = candidate.LatestStart };
    }

    private static (string Zone, IReadOnlyList<RunChunk> Runs, double Mean)? Whole(
        IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DateTimeOffset now, DateTimeOffset finishBy, TimeSpan remaining)
    {
        var plan = SpatioTemporalPlanner.FindBest(zones, now, finishBy, remaining);
        return plan is null ? null : (plan.Zone, [new RunChunk(plan.Window.Start, plan.Window.End)], plan.Window.MeanIntensityGramsPerKwh);
    }

    private static (string Zone, IReadOnlyList<RunChunk> Runs, double Mean)? Interruptible(
        IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DateTimeOffset now, DateTimeOffset finishBy, TimeSpan remaining, DeferralSettings settings)
    {
        (string Zone, IReadOnlyList<RunChunk> Runs, double Mean)? best = null;
        foreach (var (zone, forecast) in zones)
        {
            // Longer minimum stretches until the plan stops few enough times; a stretch as long as
            // the run is the run in one piece, so this ends.
            var minimum = settings.MinimumRun;
            InterruptiblePlan? plan;
            do
            {
                plan = InterruptiblePlanner.FindBest(forecast, now, finishBy, remaining, minimum);
                minimum *= 2;
            }
            while (plan is not null && plan.Interruptions > settings.MaxInterruptions && minimum < remaining * 2);

            if (plan is null || plan.Interruptions > settings.MaxInterruptions)
            {
                continue;
            }

            var runs = Trim(plan.Chunks, remaining);
            if (MeanOver(forecast, runs) is { } mean && (best is null || mean < best.Value.Mean - 1e-9))
            {
                best = (zone, runs, mean);
            }
        }

        return best;
    }

    // The planner works in whole steps; the Job stops once its own work is done.
    private static List<RunChunk> Trim(IReadOnlyList<RunChunk> chunks, TimeSpan work)
    {
        var runs = new List<RunChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (work <= TimeSpan.Zero)
            {
                break;
            }

            var length = chunk.Length < work ? chunk.Length : work;
            runs.Add(new RunChunk(chunk.Start, chunk.Start + length));
            work -= length;
        }

        return runs;
    }

    // The time-weighted mean over the runs, or null when the forecast does not cover one.
    private static double? MeanOver(IntensitySeries forecast, IReadOnlyList<RunChunk> runs)
    {
        var (sum, hours) = (0.0, 0.0);
        foreach (var run in runs)
        {
            if (forecast.MeanOver(run.Start, run.End) is not { } mean)
            {
                return null;
            }

            sum += mean * run.Length.TotalHours;
            hours += run.Length.TotalHours;
        }

        return hours > 0 ? sum / hours : null;
    }

    private static string Hours(TimeSpan span) => Text($"{span.TotalHours:0.##} h");

    private static string Minutes(TimeSpan span) => Text($"{span.TotalMinutes:0} min");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
