using k8s.Models;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Ledger;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// What the deferral controller needs of one kind of object (a Job, a bare Pod): how to read and patch it, how
/// the decision sees it, and the patches that carry a decision out. The decision itself is the same for every kind.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
internal interface IWorkloadAdapter<T>
    where T : class
{
    /// <summary>The leader's watch-cache copy of <paramref name="key"/>, if any (it may be stale: a patch on it may get 409).</summary>
    T? Cached(JobKey key);

    /// <summary>The last copy of <paramref name="key"/> the leader's watch saw before it was deleted, if any; handed out once.</summary>
    T? TakeGone(JobKey key);

    /// <summary>Reads <paramref name="key"/> from the API server; <c>null</c> when it is gone.</summary>
    Task<T?> ReadAsync(JobKey key, CancellationToken cancellationToken);

    /// <summary>Patches <paramref name="key"/>.</summary>
    Task PatchAsync(JobKey key, V1Patch patch, CancellationToken cancellationToken);

    /// <summary>Whether the controller acts on <paramref name="item"/> at all.</summary>
    bool IsDeferred(T item);

    /// <summary>The object as the decision sees it.</summary>
    JobView ToView(T item);

    /// <summary>What the object's pods need of a node, and the zones its annotation allows.</summary>
    PlacementNeeds ToNeeds(T item, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones);

    /// <summary>The object as the carbon ledger records it.</summary>
    LedgerSubject ToLedgerSubject(T item, IReadOnlyList<string> gpuResources);

    /// <summary>The reference Events name the object by.</summary>
    V1ObjectReference Reference(T item);

    /// <summary>The patch that writes the record's annotations only.</summary>
    V1Patch Record(T item, DeferralRecord record);

    /// <summary>The patch that writes one annotation.</summary>
    V1Patch Annotation(T item, string key, string value);

    /// <summary>The patch that lifts our hold, with <paramref name="zone"/> as a required node affinity when given.</summary>
    V1Patch Release(T item, DeferralRecord record, V1NodeSelectorRequirement? zone);

    /// <summary>The patch that holds a running object again until its next stretch.</summary>
    /// <exception cref="NotSupportedException">The kind cannot be held once it runs.</exception>
    V1Patch Pause(T item, DeferralRecord record);
}
