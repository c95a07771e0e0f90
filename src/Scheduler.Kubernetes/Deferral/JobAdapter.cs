using k8s;
using k8s.Models;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Ledger;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>Jobs for the deferral controller: held by <c>spec.suspend</c>, or by our gate in Kueue's admission gates.</summary>
internal sealed class JobAdapter(IKubernetes client, JobWatcher? watched, DeferralOptions options) : IWorkloadAdapter<V1Job>
{
    /// <inheritdoc />
    public V1Job? Cached(JobKey key) => watched?.Find(key);

    /// <inheritdoc />
    public V1Job? TakeGone(JobKey key) => watched?.TakeGone(key);

    /// <inheritdoc />
    public Task<V1Job?> ReadAsync(JobKey key, CancellationToken cancellationToken) =>
        NotFound.AsNullAsync(() => client.BatchV1.ReadNamespacedJobAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task PatchAsync(JobKey key, V1Patch patch, CancellationToken cancellationToken) =>
        client.BatchV1.PatchNamespacedJobAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken);

    /// <inheritdoc />
    /// <remarks>Every Job: one without carbon annotations is kept as it is by the decision.</remarks>
    public bool IsDeferred(V1Job item) => true;

    /// <inheritdoc />
    public JobView ToView(V1Job item) => item.ToView(options.IsDryRun(item.KeyOf().Namespace), options.KueueGate);

    /// <inheritdoc />
    public PlacementNeeds ToNeeds(V1Job item, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones) =>
        item.ToNeeds(gpuResources, allowedZones);

    /// <inheritdoc />
    public LedgerSubject ToLedgerSubject(V1Job item, IReadOnlyList<string> gpuResources) => item.ToLedgerSubject();

    /// <inheritdoc />
    public V1ObjectReference Reference(V1Job item) => JobEvents.ReferenceTo(item);

    /// <inheritdoc />
    public V1Patch Record(V1Job item, DeferralRecord record) => JobPatch.Record(item, record);

    /// <inheritdoc />
    public V1Patch Annotation(V1Job item, string key, string value) => JobPatch.Annotation(item, key, value);

    /// <inheritdoc />
    public V1Patch Release(V1Job item, DeferralRecord record, V1NodeSelectorRequirement? zone) => JobPatch.Release(item, record, options.KueueGate, zone);

    /// <inheritdoc />
    public V1Patch Pause(V1Job item, DeferralRecord record) => JobPatch.Pause(item, record);
}
