using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Decides on one Job and carries the decision out: reads the Job (from the leader's watch cache
/// when it has it, else from the API server), finds the zones that could run it and their
/// forecasts, asks <see cref="DeferralDecider"/>, patches the Job (optimistically, on the
/// resourceVersion it read), records an Event and (re)schedules the Job's wake-ups. A Job read
/// stale from the cache fails its patch with 409 and is read again from the API server.
/// </summary>
public sealed partial class DeferralController(
    IKubernetes client,
    INodeCache nodes,
    IForecastLookup forecasts,
    JobEvents events,
    IEnumerable<IWakeUps> wakeUps,
    JobWatcher? watched,
    IOptions<DeferralOptions> options,
    IOptions<ScoringOptions> scoring,
    TimeProvider time,
    ILogger<DeferralController> logger)
{
    private readonly IWakeUps[] _wakeUps = [.. wakeUps];

    /// <summary>Raised after each decision has been carried out, with the slack to the Job's latest safe start when it is held.</summary>
    public event EventHandler<DeferralDecided>? Decided;

    /// <summary>Decides on <paramref name="key"/> and acts; a Job changed meanwhile is read and decided on again.</summary>
    /// <returns>The action taken, or <c>null</c> when the Job is gone.</returns>
    public async Task<DeferralAction?> ReconcileAsync(JobKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReconcileOnceAsync(key, attempt == 1 ? watched?.Find(key) : null, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // Someone (the user, or another replica acting on a wake-up) changed the Job: decide again on what it is now.
                LogConflict(logger, key);
            }
        }
    }

    private async Task<DeferralAction?> ReconcileOnceAsync(JobKey key, V1Job? cached, CancellationToken cancellationToken)
    {
        var job = cached ?? await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
            return null;
        }

        var settings = options.Value.ToSettings(scoring.Value.DefaultDuration);
        var view = job.ToView(options.Value.IsDryRun(key.Namespace), options.Value.KueueGate);
        var zones = CandidateZonesOf(job, view, settings);
        var now = time.GetUtcNow();
        var action = DeferralDecider.Decide(view, now, Forecasts(zones), settings);
        await ActAsync(job, view, action, zones, cancellationToken).ConfigureAwait(false);
        var held = action switch
        {
            DeferralAction.Hold hold => hold.Record.Plan,
            DeferralAction.Pause pause => pause.Record.Plan,
            _ => null,
        };
        Decided?.Invoke(this, new DeferralDecided(key, action, held is null ? null : held.LatestStart - now));
        return action;
    }

    private async Task<V1Job?> ReadAsync(JobKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.BatchV1.ReadNamespacedJobAsync(key.Name, key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task ActAsync(V1Job job, JobView view, DeferralAction action, IReadOnlyList<string> zones, CancellationToken cancellationToken)
    {
        var key = job.KeyOf();
        var record = DeferralRecord.Read(view.Annotations);
        switch (action)
        {
            case DeferralAction.Keep:
                // Re-arm the wake-ups the record asks for: after a restart, the in-process ones are gone.
                await ScheduleAsync(key, record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Hold hold:
                await PatchAsync(job, JobPatch.Record(job, hold.Record), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(job, "Normal", hold.Moved ? "CarbonPlanMoved" : "CarbonHeld", hold.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, hold.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Release release:
                var requirement = release.Record.Plan?.Zone is { } zone && zones.Count > 1 ? ZoneAffinity.RequirementFor(zone, nodes.Entries) : null;
                try
                {
                    await PatchAsync(job, JobPatch.Release(job, release.Record, options.Value.KueueGate, requirement), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (requirement is not null && e.Response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    // An API server that refuses the template change (older Kubernetes, or a policy) must
                    // not keep the Job from running: the deadline comes before the zone.
                    LogAffinityRefused(logger, key);
                    await PatchAsync(job, JobPatch.Release(job, release.Record, options.Value.KueueGate, null), cancellationToken).ConfigureAwait(false);
                }

                await events.RecordAsync(job, "Normal", "CarbonReleased", release.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, release.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Pause pause:
                await PatchAsync(job, JobPatch.Pause(job, pause.Record), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(job, "Normal", "CarbonPaused", pause.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, pause.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.MarkReleased marked:
                await PatchAsync(job, JobPatch.Record(job, record with { State = DeferralState.Released }), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(job, "Normal", "CarbonReleasedElsewhere", marked.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Complete:
                await PatchAsync(job, JobPatch.Record(job, record with { State = DeferralState.Completed }), cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.ReportInvalid invalid:
                var message = DeferralDecider.InvalidReasonPrefix + string.Join("; ", invalid.Errors);
                await PatchAsync(job, JobPatch.Annotation(job, Scheduler.Core.Annotations.CarbonAnnotations.Reason, message), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(job, "Warning", "InvalidCarbonAnnotations", message, cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.RecordDryRun dryRun:
                var plan = dryRun.Plan;
                var text = plan.HoldsAt(time.GetUtcNow())
                    ? string.Create(CultureInfo.InvariantCulture, $"dry run: would hold until {plan.Start:yyyy-MM-ddTHH:mm}Z in {plan.Zone}, saving {plan.SavedPercent:0.#} % ({plan.ExpectedIntensity:0} against {plan.BaselineIntensity:0} gCO2eq/kWh)")
                    : "dry run: would run at once: " + plan.Reason;
                await PatchAsync(job, JobPatch.Annotation(job, Scheduler.Core.Annotations.CarbonAnnotations.DryRunPlan, text), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(job, "Normal", "CarbonDryRun", text, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (action is not DeferralAction.Keep && logger.IsEnabled(LogLevel.Information))
        {
            LogActed(logger, key, action.GetType().Name);
        }
    }

    // The zones whose nodes could run the Job, within the zones it allows; the allowed zones
    // themselves when no node is known in any (the inventory may lag behind the cluster).
    private List<string> CandidateZonesOf(V1Job job, JobView view, DeferralSettings settings)
    {
        var allowed = DeferralRequestReader.Read(view.Annotations, view.Created, settings).Request?.Zones ?? [];
        var needs = job.ToNeeds(scoring.Value.GpuResources, allowed);
        var gpuResources = scoring.Value.GpuResources;
        var zones = CandidateZones.Of(needs, nodes.Entries.Select(n => (n.Facts.Labels, Gpus(n.Facts, gpuResources), n.Description.Zone)));
        return zones.Count > 0 ? [.. zones] : [.. allowed];
    }

    private List<(string Zone, IntensitySeries Forecast)> Forecasts(IReadOnlyList<string> zones) =>
        [.. zones.Select(zone => (zone, forecasts.Find(zone)?.Series)).Where(z => z.Series is not null).Select(z => (z.zone, z.Series!))];

    private static double Gpus(NodeFacts node, IReadOnlyList<string> resources)
    {
        var total = 0.0;
        foreach (var resource in resources)
        {
            if (node.Allocatable.TryGetValue(resource, out var text) && Scheduler.Core.Quantities.ResourceQuantity.TryParse(text, out var value))
            {
                total += value;
            }
        }

        return total;
    }

    private async Task PatchAsync(V1Job job, V1Patch patch, CancellationToken cancellationToken)
    {
        var key = job.KeyOf();
        await client.BatchV1.PatchNamespacedJobAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task ScheduleAsync(JobKey key, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        foreach (var wakeUp in _wakeUps)
        {
            try
            {
                await wakeUp.ScheduleAsync(key, times, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One store down (the database) must not stop the others: the in-process timers still fire.
                LogWakeUpFailed(logger, e, wakeUp, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} changed while being decided on; deciding again")]
    private static partial void LogConflict(ILogger logger, JobKey job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API server refused the zone affinity of Job {Job}; released without it")]
    private static partial void LogAffinityRefused(ILogger logger, JobKey job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {Action}")]
    private static partial void LogActed(ILogger logger, JobKey job, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Store} could not schedule the wake-ups of Job {Job}")]
    private static partial void LogWakeUpFailed(ILogger logger, Exception exception, IWakeUps store, JobKey job);
}
