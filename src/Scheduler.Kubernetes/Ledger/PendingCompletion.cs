using Scheduler.Core.Accounting;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>A finished Job or bare Pod whose completion is recorded once its energy has been measured.</summary>
/// <param name="Uid">Its uid.</param>
/// <param name="Kind">Job or Pod.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Outcome">How it ended (<see cref="LedgerEnding.Completed"/> or <see cref="LedgerEnding.Failed"/>).</param>
/// <param name="At">When it ended.</param>
/// <param name="Started">When it started, when the object says: where the measurement starts when no pod says.</param>
/// <param name="Pods">Its pods when known already (a bare Pod's own); <c>null</c> to list a Job's pods.</param>
/// <param name="Run">For a Job never held (a dry-run Job, or one the extender only placed), the run to record before its
/// completion; <c>null</c> for the others, whose runs the controller recorded as it released them.</param>
internal sealed record PendingCompletion(
    string Uid,
    WorkloadKind Kind,
    string Namespace,
    string Name,
    string Outcome,
    DateTimeOffset At,
    DateTimeOffset? Started,
    IReadOnlyList<WorkloadPod>? Pods,
    UnheldRun? Run = null);

/// <summary>The run of a finished Job that was never held (a dry-run Job, or one the extender only placed), recorded with its completion.</summary>
/// <param name="Start">Its start: the Job's <c>status.startTime</c>, else its earliest pod's start, else its completion.</param>
/// <param name="Zones">The zones it could run in, the baseline first: its zone when the node of its first pod is not known.</param>
internal sealed record UnheldRun(DateTimeOffset? Start, IReadOnlyList<string> Zones)
{
    /// <summary>
    /// The zone it ran in: that of the node its first pod ran on (<paramref name="firstPodZone"/>), else its only
    /// candidate zone, else the first candidate; <c>null</c> when nothing names one.
    /// </summary>
    public string? ZoneOf(string? firstPodZone) =>
        !string.IsNullOrEmpty(firstPodZone) ? firstPodZone : Zones.Count > 0 ? Zones[0] : null;
}
