using Scheduler.Core.Annotations;
using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Deferral;

/// <summary>
/// The one place that decides what happens to a Job, from the Job itself (its annotations are both
/// the user's request and the controller's record), the time and the forecasts. Every wake-up (a
/// watch event, a resync, a timed release, the deadline guard, a forecast refresh) asks it again, so
/// a late, lost or repeated wake-up can never do harm: the answer depends only on the Job and the time.
/// </summary>
public static class DeferralDecider
{
    /// <summary>The prefix of the reason written when a Job's annotations are invalid.</summary>
    public const string InvalidReasonPrefix = "invalid carbon annotations, running now: ";

    /// <summary>What to do with <paramref name="job"/> at <paramref name="now"/>.</summary>
    /// <param name="job">The Job.</param>
    /// <param name="now">The time.</param>
    /// <param name="zones">The forecasts of the zones the Job could run in, the most likely one first; may be empty when no forecast is known.</param>
    /// <param name="settings">The planner's settings.</param>
    public static DeferralAction Decide(JobView job, DateTimeOffset now, IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DeferralSettings settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(settings);
        var record = DeferralRecord.Read(job.Annotations);
        if (job.Finished)
        {
            return record.State is DeferralState.Held or DeferralState.Paused or DeferralState.Released
                ? new DeferralAction.Complete()
                : new DeferralAction.Keep("finished");
        }

        var reading = DeferralRequestReader.Read(job.Annotations, job.Created, settings);
        return record.State switch
        {
            DeferralState.None => NotHeld(job, reading, now, zones, settings),
            DeferralState.Held or DeferralState.Paused => Waiting(job, record, reading, now, zones, settings),
            DeferralState.Released => Running(record, reading, now, zones, settings),
            _ => new DeferralAction.Keep("completed"),
        };
    }

    // Not held by us: a Job without deferral annotations, with invalid ones, in dry run, or held by its owner.
    private static DeferralAction NotHeld(JobView job, DeferralReading reading, DateTimeOffset now, IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DeferralSettings settings)
    {
        if (!reading.AsksForDeferral)
        {
            return new DeferralAction.Keep("no deferral annotations");
        }

        if (reading.Request is not { } request)
        {
            return job.Annotations.TryGetValue(CarbonAnnotations.Reason, out var reason) && reason.StartsWith(InvalidReasonPrefix, StringComparison.Ordinal)
                ? new DeferralAction.Keep("invalid annotations already reported")
                : new DeferralAction.ReportInvalid(reading.Errors);
        }

        if (job.DryRun && !job.Annotations.ContainsKey(CarbonAnnotations.DryRunPlan))
        {
            return new DeferralAction.RecordDryRun(DeferralPlanner.Plan(request with { ReleaseNow = false }, job.Created > now ? job.Created : now, zones, settings));
        }

        return new DeferralAction.Keep("not held by the scheduler");
    }

    // Held before its first run, or paused between two runs.
    private static DeferralAction Waiting(JobView job, DeferralRecord record, DeferralReading reading, DateTimeOffset now, IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DeferralSettings settings)
    {
        if (!job.Suspended)
        {
            return new DeferralAction.MarkReleased("released outside the scheduler");
        }

        if (reading.Request is not { } request)
        {
            // Edited into something unreadable: the promise cannot be kept on a guess, so it runs.
            var reason = reading.AsksForDeferral ? "annotations no longer valid: " + string.Join("; ", reading.Errors) : "deferral annotations removed";
            return Release(record, now, reason);
        }

        var stay = record.State == DeferralState.Paused && record.Plan?.Zone is { } zone ? Only(zones, zone) : zones;
        var limits = settings with { MaxInterruptions = Math.Max(0, settings.MaxInterruptions - record.Interruptions) };
        if (request.ReleaseNow)
        {
            return Release(record, now, "released at once: carbon-aware.io/release-now is set");
        }

        if (record.Plan is not { } current)
        {
            var plan = DeferralPlanner.Plan(request, now, stay, limits, record.Ran);
            return plan.HoldsAt(now) ? new DeferralAction.Hold(record with { Plan = plan }, Moved: false) : Release(record with { Plan = plan }, now, plan.Reason);
        }

        // The promise first: at the planned start or the latest safe start, it runs, whatever the forecasts say.
        if (now >= current.Start || now >= current.LatestStart)
        {
            return Release(record, now, now >= current.Start ? current.Reason : "released at the latest safe start");
        }

        if (stay.Count == 0)
        {
            // No forecast now (a provider outage): keep the plan; the latest safe start still holds.
            return new DeferralAction.Keep("no forecast to re-plan with");
        }

        var revised = DeferralPlanner.Replan(current, request, now, stay, limits, record.Ran);
        if (revised.Start == current.Start && revised.Zone == current.Zone && revised.Runs.SequenceEqual(current.Runs))
        {
            return new DeferralAction.Keep("plan unchanged");
        }

        return revised.HoldsAt(now)
            ? new DeferralAction.Hold(record with { Plan = revised }, Moved: true)
            : Release(record with { Plan = revised }, now, revised.Reason);
    }

    // Released: an interruptible Job at the end of a planned stretch pauses until the next one.
    private static DeferralAction Running(DeferralRecord record, DeferralReading reading, DateTimeOffset now, IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, DeferralSettings settings)
    {
        if (reading.Request is not { Interruptible: true } request || record.Plan is not { Runs.Count: > 1, Zone: { } zone } plan || now < plan.Runs[0].End)
        {
            return new DeferralAction.Keep("running");
        }

        var ran = record.Ran + plan.Runs[0].Length;
        var limits = settings with { MaxInterruptions = Math.Max(0, settings.MaxInterruptions - record.Interruptions - 1) };
        var rest = DeferralPlanner.Plan(request, now, Only(zones, zone), limits, ran);
        if (!rest.HoldsAt(now))
        {
            return new DeferralAction.Keep("running on: " + rest.Reason);
        }

        return new DeferralAction.Pause(new DeferralRecord(DeferralState.Paused, rest with { Zone = zone }, ran, record.Interruptions + 1));
    }

    // The record of a release at `now`: the first stretch starts now and keeps its planned length, so
    // the time run is counted from the real release.
    private static DeferralAction.Release Release(DeferralRecord record, DateTimeOffset now, string reason)
    {
        var plan = record.Plan;
        var runs = plan is { Runs.Count: > 0 }
            ? [new RunChunk(now, now + plan.Runs[0].Length), .. plan.Runs.Skip(1)]
            : (IReadOnlyList<RunChunk>)[new RunChunk(now, now)];
        var released = plan is null
            ? new DeferralPlan(null, runs, now, null, null, reason)
            : plan with { Runs = runs, Reason = reason };
        return new DeferralAction.Release(new DeferralRecord(DeferralState.Released, released, record.Ran, record.Interruptions));
    }

    private static List<(string Zone, IntensitySeries Forecast)> Only(IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones, string zone) =>
        [.. zones.Where(z => z.Zone == zone)];
}
