using k8s;
using k8s.Models;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Ledger;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Bare Pods for the deferral controller: held by our scheduling gate until their planned start. A Pod cannot be
/// suspended once it runs, so it is planned as one run (see <see cref="V1PodConversion.ToView"/>) and never paused.
/// </summary>
internal sealed class PodAdapter(IKubernetes client, PodWatcher? watched, DeferralOptions options) : IWorkloadAdapter<V1Pod>
{
    /// <inheritdoc />
    public V1Pod? Cached(JobKey key) => watched?.Find(key);

    /// <inheritdoc />
    public V1Pod? TakeGone(JobKey key) => watched?.TakeGone(key);

    /// <inheritdoc />
    public Task<V1Pod?> ReadAsync(JobKey key, CancellationToken cancellationToken) =>
        NotFound.AsNullAsync(() => client.CoreV1.ReadNamespacedPodAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task PatchAsync(JobKey key, V1Patch patch, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedPodAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public bool IsDeferred(V1Pod item) => item.IsDeferred(options);

    /// <inheritdoc />
    public JobView ToView(V1Pod item) => item.ToView(options);

    /// <inheritdoc />
    public PlacementNeeds ToNeeds(V1Pod item, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones) =>
        item.ToNeeds(gpuResources, allowedZones);

    /// <inheritdoc />
    public LedgerSubject ToLedgerSubject(V1Pod item, IReadOnlyList<string> gpuResources) => item.ToLedgerSubject(gpuResources);

    /// <inheritdoc />
    public V1ObjectReference Reference(V1Pod item) => JobEvents.ReferenceTo(item);

    /// <inheritdoc />
    public V1Patch Record(V1Pod item, DeferralRecord record) => PodPatch.Record(item, record);

    /// <inheritdoc />
    public V1Patch Annotation(V1Pod item, string key, string value) => PodPatch.Annotation(item, key, value);

    /// <inheritdoc />
    public V1Patch Release(V1Pod item, DeferralRecord record, V1NodeSelectorRequirement? zone) => PodPatch.Release(item, record, zone);

    /// <inheritdoc />
    public V1Patch Pause(V1Pod item, DeferralRecord record) =>
        throw new NotSupportedException("A Pod cannot be suspended once it runs; Pods are planned as one run and never paused.");
}
