using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Accounting;
using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Ledger;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Decides on one Job or bare Pod and carries the decision out: reads it (from the leader's watch cache
/// when it has it, else from the API server), finds the zones that could run it and their forecasts, asks
/// <see cref="DeferralDecider"/>, patches it (optimistically, on the resourceVersion it read), records an
/// Event and (re)schedules its wake-ups. An object read stale from the cache fails its patch with 409 and is
/// read again from the API server. What differs between Jobs and Pods is in their adapters
/// (<see cref="JobAdapter"/>, <see cref="PodAdapter"/>); the decision is the same. With a carbon ledger
/// (<see cref="IJobLedger"/>) it records the facts of each object it acts on once the action is carried out
/// (<see cref="DeferralLedger"/>), and a finished one's energy with an <see cref="IJobEnergyMeter"/>, measured in
/// the background; without one it records nothing.
/// </summary>
/// <param name="client">The API server.</param>
/// <param name="nodes">The nodes known, for the zones that could run an object.</param>
/// <param name="forecasts">The zones' forecasts.</param>
/// <param name="events">Where Events are recorded.</param>
/// <param name="wakeUps">Where wake-ups are scheduled.</param>
/// <param name="watched">The leader's Job watch, whose cache is read first; <c>null</c> to read from the API server.</param>
/// <param name="options">The deferral settings.</param>
/// <param name="scoring">The scoring settings (default duration, GPU resources).</param>
/// <param name="time">The clock.</param>
/// <param name="logger">The log.</param>
/// <param name="watchedPods">The leader's Pod watch, as <paramref name="watched"/>.</param>
/// <param name="ledger">Where the facts of each Job and Pod acted on are recorded; <c>null</c> (the default) records nothing.</param>
/// <param name="meter">What measures a finished Job's energy for its completion; <c>null</c> records completions without energy.</param>
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
    ILogger<DeferralController> logger,
    PodWatcher? watchedPods = null,
    IJobLedger? ledger = null,
    IJobEnergyMeter? meter = null) : IAsyncDisposable, IDisposable
{
    private readonly IWakeUps[] _wakeUps = [.. wakeUps];
    private readonly DeferralLedger? _ledger = ledger is null
        ? null
        : new DeferralLedger(client, ledger, meter, nodes, options.Value, scoring.Value.GpuResources, scoring.Value.DefaultDuration, time, logger);
    private readonly JobAdapter _jobs = new(client, watched, options.Value);
    private readonly PodAdapter _pods = new(client, watchedPods, options.Value);

    /// <summary>Raised after each decision has been carried out, with the slack to the object's latest safe start when it is held.</summary>
    public event EventHandler<DeferralDecided>? Decided;

    /// <summary>Decides on <paramref name="key"/> and acts; an object changed meanwhile is read and decided on again.</summary>
    /// <returns>The action taken, or <c>null</c> when the object is gone.</returns>
    public Task<DeferralAction?> ReconcileAsync(JobKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Kind == WorkloadKind.Pod ? ReconcileAsync(_pods, key, cancellationToken) : ReconcileAsync(_jobs, key, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Completions still being measured are recorded without their energy.</remarks>
    public void Dispose() => _ledger?.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ledger?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// Records a finished Job without carbon annotations into the carbon ledger as placed by the extender, when its pods
    /// asked for a scheduler that calls the extender (<see cref="DeferralOptions.LedgerSchedulerNamesInForce"/>) and
    /// <see cref="DeferralOptions.LedgerPlacedJobs"/> is on: its candidate zones, counted over the nodes known now, weigh
    /// its baseline. Once per Job (see <see cref="DeferralLedger.PlacedFinished"/>); without a ledger, nothing.
    /// </summary>
    /// <returns>Whether its completion was queued.</returns>
    public bool RecordPlacedJob(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var settings = options.Value;
        if (_ledger is null || !settings.LedgerPlacedJobs || job.HasCarbonAnnotations()
            || !settings.LedgerSchedulerNamesInForce.Contains(job.SchedulerNameOf(), StringComparer.Ordinal))
        {
            return false;
        }

        var gpuResources = scoring.Value.GpuResources;
        return _ledger.PlacedFinished(
            job.ToLedgerSubject(),
            () => CandidateZones.Counted(job.ToNeeds(gpuResources, []), nodes.Entries.Select(n => (n.Facts.Labels, Gpus(n.Facts, gpuResources), n.Description.Zone))));
    }

    private async Task<DeferralAction?> ReconcileAsync<T>(IWorkloadAdapter<T> kind, JobKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReconcileOnceAsync(kind, key, attempt == 1 ? kind.Cached(key) : null, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // Someone (the user, or another replica acting on a wake-up) changed the object: decide again on what it is now.
                LogConflict(logger, key.Kind, key);
            }
        }
    }

    private async Task<DeferralAction?> ReconcileOnceAsync<T>(IWorkloadAdapter<T> kind, JobKey key, T? cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var item = cached ?? await kind.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (kind.TakeGone(key) is { } gone && _ledger is not null && item?.Metadata?.Uid != gone.Metadata?.Uid)
        {
            RecordGone(kind, gone);
        }

        if (item is null)
        {
            await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
            return null;
        }

        var now = time.GetUtcNow();
        DeferralAction action;
        if (!kind.IsDeferred(item))
        {
            // Not ours (a Pod that was never gated, or whose gate and state are gone): nothing to do, nothing to wake up for.
            action = new DeferralAction.Keep("not deferred by the scheduler");
            await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var settings = options.Value.ToSettings(scoring.Value.DefaultDuration);
            var view = kind.ToView(item);
            var reading = DeferralRequestReader.Read(view.Annotations, view.Created, settings);
            var zones = CandidateZonesOf(kind.ToNeeds(item, scoring.Value.GpuResources, reading.Request?.Zones ?? []), reading.Request?.Zones ?? []);
            action = DeferralDecider.Decide(view, now, Forecasts(zones), settings);
            await ActAsync(kind, item, key, view, reading, action, zones, now, cancellationToken).ConfigureAwait(false);
        }

        var held = action switch
        {
            DeferralAction.Hold hold => hold.Record.Plan,
            DeferralAction.Pause pause => pause.Record.Plan,
            _ => null,
        };
        Decided?.Invoke(this, new DeferralDecided(key, action, held is null ? null : held.LatestStart - now));
        return action;
    }

    private async Task ActAsync<T>(IWorkloadAdapter<T> kind, T item, JobKey key, JobView view, DeferralReading reading, DeferralAction action, IReadOnlyList<string> zones, DateTimeOffset now, CancellationToken cancellationToken)
        where T : class
    {
        var record = DeferralRecord.Read(view.Annotations);
        var involved = kind.Reference(item);
        switch (action)
        {
            case DeferralAction.Keep:
                // Re-arm the wake-ups the record asks for: after a restart, the in-process ones are gone.
                await ScheduleAsync(key, record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Hold hold:
                await kind.PatchAsync(key, kind.Record(item, hold.Record), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(involved, "Normal", hold.Moved ? "CarbonPlanMoved" : "CarbonHeld", hold.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, hold.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Release release:
                var requirement = release.Record.Plan?.Zone is { } zone && zones.Count > 1 ? ZoneAffinity.RequirementFor(zone, nodes.Entries) : null;
                try
                {
                    await kind.PatchAsync(key, kind.Release(item, release.Record, requirement), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (requirement is not null && e.Response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    // An API server that refuses the placement change (older Kubernetes, or a policy) must
                    // not keep the object from running: the deadline comes before the zone.
                    LogAffinityRefused(logger, key.Kind, key);
                    await kind.PatchAsync(key, kind.Release(item, release.Record, null), cancellationToken).ConfigureAwait(false);
                }

                if (reading is { AsksForDeferral: true, Request: null })
                {
                    // Held, then edited into annotations that cannot be read: it runs now, and the user is told why.
                    await events.RecordAsync(involved, "Warning", "InvalidCarbonAnnotations", DeferralDecider.InvalidReasonPrefix + string.Join("; ", reading.Errors), cancellationToken).ConfigureAwait(false);
                }

                await events.RecordAsync(involved, "Normal", "CarbonReleased", release.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, release.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Pause pause:
                await kind.PatchAsync(key, kind.Pause(item, pause.Record), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(involved, "Normal", "CarbonPaused", pause.Record.Plan!.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, pause.Record.WakeUps(), cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.MarkReleased marked:
                await kind.PatchAsync(key, kind.Record(item, record with { State = DeferralState.Released }), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(involved, "Normal", "CarbonReleasedElsewhere", marked.Reason, cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.Complete:
                await kind.PatchAsync(key, kind.Record(item, record with { State = DeferralState.Completed }), cancellationToken).ConfigureAwait(false);
                await ScheduleAsync(key, [], cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.ReportInvalid invalid:
                var message = DeferralDecider.InvalidReasonPrefix + string.Join("; ", invalid.Errors);
                await kind.PatchAsync(key, kind.Annotation(item, Scheduler.Core.Annotations.CarbonAnnotations.Reason, message), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(involved, "Warning", "InvalidCarbonAnnotations", message, cancellationToken).ConfigureAwait(false);
                break;
            case DeferralAction.RecordDryRun dryRun:
                var plan = dryRun.Plan;
                var text = plan.HoldsAt(now)
                    ? string.Create(CultureInfo.InvariantCulture, $"dry run: would hold until {plan.Start:yyyy-MM-ddTHH:mm}Z in {plan.Zone}, saving {plan.SavedPercent:0.#} % ({plan.ExpectedIntensity:0} against {plan.BaselineIntensity:0} gCO2eq/kWh)")
                    : "dry run: would run at once: " + plan.Reason;
                await kind.PatchAsync(key, kind.Annotation(item, Scheduler.Core.Annotations.CarbonAnnotations.DryRunPlan, text), cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(involved, "Normal", "CarbonDryRun", text, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (action is not DeferralAction.Keep && logger.IsEnabled(LogLevel.Information))
        {
            LogActed(logger, key.Kind, key, action.GetType().Name);
        }

        // Carried out (every patch accepted): a decision refused with 409 never gets here, so each fact is sent once.
        _ledger?.Acted(kind.ToLedgerSubject(item, scoring.Value.GpuResources), action, record, reading.Request, zones, now);

        // A dry-run Job is kept once planned: once it has finished, its run and completion (once per Job).
        if (_ledger is not null && action is DeferralAction.Keep && view is { DryRun: true, Finished: true }
            && record.State == DeferralState.None && view.Annotations.ContainsKey(Scheduler.Core.Annotations.CarbonAnnotations.DryRunPlan))
        {
            _ledger.DryRunFinished(kind.ToLedgerSubject(item, scoring.Value.GpuResources), reading.Request, zones);
        }
    }

    // An object the leader's watch saw deleted: what became of it, from its last copy.
    private void RecordGone<T>(IWorkloadAdapter<T> kind, T gone)
        where T : class
    {
        var settings = options.Value.ToSettings(scoring.Value.DefaultDuration);
        var view = kind.ToView(gone);
        var reading = DeferralRequestReader.Read(view.Annotations, view.Created, settings);
        var zones = CandidateZonesOf(kind.ToNeeds(gone, scoring.Value.GpuResources, reading.Request?.Zones ?? []), reading.Request?.Zones ?? []);
        _ledger!.Gone(kind.ToLedgerSubject(gone, scoring.Value.GpuResources), DeferralRecord.Read(view.Annotations).State, reading.Request, zones, time.GetUtcNow());
    }

    // The zones whose nodes could run the object, within the zones it allows; the allowed zones
    // themselves when no node is known in any (the inventory may lag behind the cluster).
    private List<string> CandidateZonesOf(PlacementNeeds needs, IReadOnlyList<string> allowed)
    {
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
                LogWakeUpFailed(logger, e, wakeUp, key.Kind, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Key} changed while being decided on; deciding again")]
    private static partial void LogConflict(ILogger logger, WorkloadKind kind, JobKey key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API server refused the zone affinity of {Kind} {Key}; released without it")]
    private static partial void LogAffinityRefused(ILogger logger, WorkloadKind kind, JobKey key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Key}: {Action}")]
    private static partial void LogActed(ILogger logger, WorkloadKind kind, JobKey key, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Store} could not schedule the wake-ups of {Kind} {Key}")]
    private static partial void LogWakeUpFailed(ILogger logger, Exception exception, IWakeUps store, WorkloadKind kind, JobKey key);
}
