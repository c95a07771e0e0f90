using k8s;
using Microsoft.Extensions.Logging;
using Scheduler.Core.Accounting;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>
/// What the deferral controller records into the carbon ledger of the Jobs and bare Pods it acts on. It is told of
/// each action once it has been carried out (its patch accepted): a decision refused with 409 and made again, by this
/// replica or another, records nothing twice. Every fact carries times that a decision made again would not change
/// (the object's creation, the decision that made the plan or the release), and the ledger's writes are idempotent,
/// so a fact sent again collapses into the one recorded.
/// <list type="bullet">
/// <item>a submission on every action but <see cref="DeferralAction.Keep"/> and <see cref="DeferralAction.ReportInvalid"/>
/// (a Job whose invalid annotations are only reported was never held);</item>
/// <item>a plan on <see cref="DeferralAction.Hold"/> and <see cref="DeferralAction.RecordDryRun"/>, and on a
/// <see cref="DeferralAction.Release"/> that comes with a plan of its own (made at the release: no slack, no
/// forecast, a plan revised to start now);</item>
/// <item>a run start on <see cref="DeferralAction.Release"/> (and resumption) and on
/// <see cref="DeferralAction.MarkReleased"/>, at the decision's time; a run end on <see cref="DeferralAction.Pause"/>;</item>
/// <item>a completion on <see cref="DeferralAction.Complete"/>, once its energy is measured
/// (<see cref="CompletionMeasurements"/>), and for an object deleted while held, paused or running.</item>
/// <item>for a dry-run Job, which the decision keeps once planned, its run and completion once it has finished
/// (<see cref="DryRunFinished"/>); likewise for a Job the extender only placed (<see cref="PlacedFinished"/>): once per
/// Job in this process, and only within <see cref="DeferralOptions.LedgerHorizonHours"/> of its completion.</item>
/// </list>
/// </summary>
internal sealed partial class DeferralLedger : IAsyncDisposable, IDisposable
{
    private readonly IJobLedger _ledger;
    private readonly INodeCache _nodes;
    private readonly DeferralOptions _options;
    private readonly TimeSpan _defaultDuration;
    private readonly ILogger _logger;
    private readonly CompletionMeasurements? _measurements;
    private readonly TimeProvider _time;
    private readonly RecentUids _unheldRecorded = new(MaxUnheldRemembered);

    /// <summary>Records into <paramref name="ledger"/>; completions with the energy <paramref name="meter"/> measures, when given.</summary>
    public DeferralLedger(IKubernetes client, IJobLedger ledger, IJobEnergyMeter? meter, INodeCache nodes, DeferralOptions options, IReadOnlyList<string> gpuResources, TimeSpan defaultDuration, TimeProvider time, ILogger logger)
    {
        _ledger = ledger;
        _nodes = nodes;
        _options = options;
        _defaultDuration = defaultDuration;
        _logger = logger;
        _time = time;
        _measurements = meter is null ? null : new CompletionMeasurements(client, ledger, meter, gpuResources, time, logger, nodes);
    }

    /// <summary>
    /// How many Jobs never held (dry-run Jobs, and Jobs the extender only placed) whose completion was recorded are
    /// remembered, so as not to record (and measure) them again.
    /// </summary>
    public const int MaxUnheldRemembered = 100_000;

    /// <summary>The completions waiting for their energy to be measured.</summary>
    public int PendingCompletions => _measurements?.Pending ?? 0;

    /// <summary>Records what <paramref name="action"/>, carried out at <paramref name="now"/>, did to <paramref name="subject"/>.</summary>
    /// <param name="subject">The object, as it was decided on.</param>
    /// <param name="action">The action carried out.</param>
    /// <param name="before">The controller's record on the object before the action.</param>
    /// <param name="request">What its annotations ask, when they are valid.</param>
    /// <param name="zones">The zones it could run in, the baseline first.</param>
    /// <param name="now">The time of the decision.</param>
    public void Acted(LedgerSubject subject, DeferralAction action, DeferralRecord before, DeferralRequest? request, IReadOnlyList<string> zones, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(before);
        if (action is DeferralAction.Keep or DeferralAction.ReportInvalid || subject.Uid.Length == 0)
        {
            return;
        }

        Safely(subject, () =>
        {
            // Sent with every action: the submission comes before any other fact of the object in the ledger's queue,
            // also for one held before the ledger was there.
            _ledger.RecordSubmission(Submission(subject, request, zones, deferred: action is not DeferralAction.RecordDryRun));
            switch (action)
            {
                case DeferralAction.Hold hold:
                    _ledger.RecordPlan(Plan(subject.Uid, now, hold.Record.Plan!));
                    break;
                case DeferralAction.RecordDryRun dryRun:
                    _ledger.RecordPlan(Plan(subject.Uid, now, dryRun.Plan));
                    break;
                case DeferralAction.Release release:
                    if (release.Record.Plan is { } plan && IsNew(plan, before.Plan))
                    {
                        _ledger.RecordPlan(Plan(subject.Uid, now, plan));
                    }

                    StartRun(subject, now, release.Record.Plan?.Zone, zones);
                    break;
                case DeferralAction.MarkReleased:
                    // Let run by someone else, without our zone affinity; a paused Job keeps the one its first release set.
                    StartRun(subject, now, before.State == DeferralState.Paused ? before.Plan?.Zone : null, zones);
                    break;
                case DeferralAction.Pause:
                    _ledger.RecordRunEnd(subject.Uid, now);
                    break;
                case DeferralAction.Complete:
                    Complete(subject, now);
                    break;
            }
        });
    }

    /// <summary>
    /// Records that <paramref name="subject"/> is gone, as last seen in the state <paramref name="state"/>: one that
    /// had finished is recorded complete; one held, paused or running, deleted at its deletionTimestamp (else at
    /// <paramref name="now"/>, when its deletion was seen), without energy: its pods go with it.
    /// </summary>
    public void Gone(LedgerSubject subject, DeferralState state, DeferralRequest? request, IReadOnlyList<string> zones, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (state is not (DeferralState.Held or DeferralState.Paused or DeferralState.Released) || subject.Uid.Length == 0)
        {
            return;
        }

        if (subject.Ending is not null)
        {
            Acted(subject, new DeferralAction.Complete(), new DeferralRecord(state, null, TimeSpan.Zero), request, zones, now);
            return;
        }

        Safely(subject, () =>
        {
            _ledger.RecordSubmission(Submission(subject, request, zones, deferred: true));
            _ledger.RecordCompletion(new LedgerCompletion(subject.Uid, subject.Deleting ?? now, LedgerEnding.Deleted, Energy: null, Holding: null, EmbodiedGrams: null));
        });
    }

    /// <summary>
    /// Records the run and completion of a finished dry-run Job (never held: the decision keeps it), with its
    /// submission (not held) again: its run from its <c>status.startTime</c> to its completion, in the zone of the node
    /// its first pod ran on (else its only, else its first candidate zone), and its energy measured in the background
    /// as for a held Job. Each Job once in this process (the last <see cref="MaxUnheldRemembered"/> are remembered),
    /// and none whose completion is older than <see cref="DeferralOptions.LedgerHorizonHours"/>, so that resyncs and a
    /// restart do not measure them again. A Job that has not finished, has no uid, or is not a Job records nothing.
    /// </summary>
    /// <returns>Whether its completion was queued.</returns>
    public bool DryRunFinished(LedgerSubject subject, DeferralRequest? request, IReadOnlyList<string> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return UnheldFinished(subject, request, () => [.. zones.Select(zone => (zone, 0))], counted: false);
    }

    /// <summary>
    /// Records a finished Job the extender only placed (no carbon annotations: never held, never planned) as
    /// <see cref="DryRunFinished"/> records a dry-run Job, with its submission (not held, no deadline), its candidate
    /// zones and how many nodes in each could run it: the weights of its baseline. <paramref name="zones"/> is asked
    /// for only once the Job is to be recorded.
    /// </summary>
    /// <returns>Whether its completion was queued.</returns>
    public bool PlacedFinished(LedgerSubject subject, Func<IReadOnlyList<(string Zone, int Nodes)>> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return UnheldFinished(subject, null, zones, counted: true);
    }

    private bool UnheldFinished(LedgerSubject subject, DeferralRequest? request, Func<IReadOnlyList<(string Zone, int Nodes)>> candidates, bool counted)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Kind != WorkloadKind.Job || subject.Uid.Length == 0 || subject.Ending is not { } ending)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var at = ending.At ?? now;
        if (at < now - TimeSpan.FromHours(_options.LedgerHorizonHours) || !_unheldRecorded.Add(subject.Uid))
        {
            return false;
        }

        Safely(subject, () =>
        {
            var counts = candidates();
            List<string> zones = [.. counts.Select(c => c.Zone)];
            _ledger.RecordSubmission(Submission(subject, request, zones, deferred: false, counted ? [.. counts.Select(c => c.Nodes)] : null));
            var run = new UnheldRun(ending.Started, zones);
            var completion = new PendingCompletion(subject.Uid, subject.Kind, subject.Namespace, subject.Name, ending.Outcome, at, ending.Started, ending.Pods, run);
            if (_measurements is { } measurements)
            {
                measurements.Enqueue(completion);
            }
            else
            {
                if (run.ZoneOf(null) is { } zone)
                {
                    var start = run.Start ?? at;
                    _ledger.RecordRunStart(subject.Uid, start < at ? start : at, zone, null);
                }

                _ledger.RecordCompletion(new LedgerCompletion(subject.Uid, at, ending.Outcome, Energy: null, Holding: null, EmbodiedGrams: null));
            }
        });
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _measurements?.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _measurements?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The zone a run starts in: the planned zone (a release pins the object there when more than one zone was
    /// possible); else the only zone it could run in; else the zone of the node it is on, when the object says (a
    /// bare Pod's <c>spec.nodeName</c>; a Job's pods are not looked up at its release, when they rarely exist yet);
    /// else the first candidate, the one with most nodes that could run it (its baseline zone). <c>null</c> when
    /// nothing names a zone.
    /// </summary>
    public static string? RunZone(string? planned, IReadOnlyList<string> zones, string? nodeZone)
    {
        ArgumentNullException.ThrowIfNull(zones);
        if (!string.IsNullOrEmpty(planned))
        {
            return planned;
        }

        if (zones.Count == 1)
        {
            return zones[0];
        }

        if (!string.IsNullOrEmpty(nodeZone))
        {
            return nodeZone;
        }

        return zones.Count > 0 ? zones[0] : null;
    }

    // A release's plan is recorded when the release made it; a release at the planned (or latest) start keeps the plan
    // held under, already recorded, with its first run moved to now.
    private static bool IsNew(DeferralPlan released, DeferralPlan? held) =>
        held is null
        || released.Zone != held.Zone
        || released.LatestStart != held.LatestStart
        || released.ExpectedIntensity != held.ExpectedIntensity
        || released.BaselineIntensity != held.BaselineIntensity;

    private static LedgerPlan Plan(string uid, DateTimeOffset at, DeferralPlan plan) =>
        new(uid, at, plan.Start, plan.Zone, plan.LatestStart, plan.ExpectedIntensity, plan.BaselineIntensity, plan.Reason);

    private LedgerSubmission Submission(LedgerSubject subject, DeferralRequest? request, IReadOnlyList<string> zones, bool deferred, IReadOnlyList<int>? nodeCounts = null) => new(
        subject.Uid,
        subject.KindName,
        subject.Namespace,
        subject.Name,
        TeamOf(subject.Labels),
        subject.Created,
        request?.Deadline,
        request?.Duration ?? _defaultDuration,
        [.. zones],
        deferred,
        nodeCounts);

    private string? TeamOf(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var label in _options.TeamLabelsInForce)
        {
            if (labels.TryGetValue(label, out var team) && !string.IsNullOrWhiteSpace(team))
            {
                return team;
            }
        }

        return null;
    }

    private void StartRun(LedgerSubject subject, DateTimeOffset now, string? planned, IReadOnlyList<string> zones)
    {
        var nodeZone = subject.Node is { } node ? _nodes.Find(node)?.Zone : null;
        if (RunZone(planned, zones, nodeZone) is { } zone)
        {
            _ledger.RecordRunStart(subject.Uid, now, zone, subject.Node);
        }
        else
        {
            LogNoZone(_logger, subject.Kind, subject.Namespace, subject.Name);
        }
    }

    private void Complete(LedgerSubject subject, DateTimeOffset now)
    {
        var ending = subject.Ending ?? new LedgerEnding(LedgerEnding.Completed, null, null, null);
        var completion = new PendingCompletion(subject.Uid, subject.Kind, subject.Namespace, subject.Name, ending.Outcome, ending.At ?? now, ending.Started, ending.Pods);
        if (_measurements is { } measurements)
        {
            measurements.Enqueue(completion);
        }
        else
        {
            _ledger.RecordCompletion(new LedgerCompletion(completion.Uid, completion.At, completion.Outcome, Energy: null, Holding: null, EmbodiedGrams: null));
        }
    }

    private void Safely(LedgerSubject subject, Action record)
    {
        try
        {
            record();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The ledger promises never to throw; should it, the decision (carried out already) stands.
            LogRecordFailed(_logger, e, subject.Kind, subject.Namespace, subject.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No zone is known for the run of {Kind} {Namespace}/{Name} (no candidate zone, no node): its run is not recorded in the carbon ledger")]
    private static partial void LogNoZone(ILogger logger, WorkloadKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The carbon ledger refused a fact of {Kind} {Namespace}/{Name}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, WorkloadKind kind, string @namespace, string name);
}
