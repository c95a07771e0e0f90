using Scheduler.Core.Accounting;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>How a finished Job or bare Pod ended, as the object says.</summary>
/// <param name="Outcome"><see cref="Completed"/> or <see cref="Failed"/>.</param>
/// <param name="At">When it ended, when the object says.</param>
/// <param name="Started">When it started, when the object says (a Job's <c>status.startTime</c>): where its measurement starts when no pod says.</param>
/// <param name="Pods">Its pods when the object holds them (a bare Pod is its own); <c>null</c> for a Job, whose pods are listed.</param>
internal sealed record LedgerEnding(string Outcome, DateTimeOffset? At, DateTimeOffset? Started, IReadOnlyList<WorkloadPod>? Pods)
{
    /// <summary>The outcome of a Job that completed (a Pod that succeeded).</summary>
    public const string Completed = "completed";

    /// <summary>The outcome of a Job (or Pod) that failed.</summary>
    public const string Failed = "failed";

    /// <summary>The outcome of a Job (or Pod) deleted before it finished.</summary>
    public const string Deleted = "deleted";
}
