using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>A Job or bare Pod as the carbon ledger records it, read from the object.</summary>
/// <param name="Uid">metadata.uid: the ledger's key, so that a name used again is another Job.</param>
/// <param name="Kind">Job or Pod.</param>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Labels">metadata.labels (the team is read from them).</param>
/// <param name="Created">metadata.creationTimestamp: its submission.</param>
/// <param name="Node">The node it runs on, when the object says (a Pod's <c>spec.nodeName</c>; never for a Job).</param>
/// <param name="Deleting">metadata.deletionTimestamp, when it is being deleted.</param>
/// <param name="Ending">How it ended, when it has finished.</param>
internal sealed record LedgerSubject(
    string Uid,
    WorkloadKind Kind,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created,
    string? Node,
    DateTimeOffset? Deleting,
    LedgerEnding? Ending)
{
    /// <summary>The kind as the ledger writes it: <c>Job</c> or <c>Pod</c>.</summary>
    public string KindName => Kind == WorkloadKind.Pod ? "Pod" : "Job";
}
