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
internal sealed record PendingCompletion(
    string Uid,
    WorkloadKind Kind,
    string Namespace,
    string Name,
    string Outcome,
    DateTimeOffset At,
    DateTimeOffset? Started,
    IReadOnlyList<WorkloadPod>? Pods);
