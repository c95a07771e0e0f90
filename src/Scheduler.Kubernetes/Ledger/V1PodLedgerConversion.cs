using k8s.Models;
using Scheduler.Core.Accounting;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>Reads what the carbon ledger records of a <see cref="V1Pod"/>: a bare Pod the controller held, or a pod of a Job.</summary>
internal static class V1PodLedgerConversion
{
    /// <summary>The bare Pod as the ledger records it; a finished one is its own single pod.</summary>
    /// <param name="pod">The Pod.</param>
    /// <param name="gpuResources">The extended resources counted as GPUs.</param>
    public static LedgerSubject ToLedgerSubject(this V1Pod pod, IReadOnlyList<string> gpuResources)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod.Metadata;
        var key = pod.KeyOf();
        LedgerEnding? ending = null;
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            var measured = pod.ToWorkloadPod(gpuResources);
            ending = new LedgerEnding(pod.Status.Phase == "Failed" ? LedgerEnding.Failed : LedgerEnding.Completed, measured.Finished, measured.Started, [measured]);
        }

        return new LedgerSubject(
            metadata?.Uid ?? string.Empty,
            WorkloadKind.Pod,
            key.Namespace,
            key.Name,
            metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : [],
            KubernetesTimes.Utc(metadata?.CreationTimestamp) ?? DateTimeOffset.MinValue,
            pod.Spec?.NodeName is { Length: > 0 } node ? node : null,
            KubernetesTimes.Utc(metadata?.DeletionTimestamp),
            ending);
    }

    /// <summary>
    /// The pod as its energy is measured: its node, the CPU cores and GPUs its containers request (the limit where
    /// a container sets no request), when it started (<c>status.startTime</c>, else its containers' earliest start)
    /// and when it finished (its containers' latest <c>finishedAt</c>, once every one has terminated).
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="gpuResources">The extended resources counted as GPUs.</param>
    public static WorkloadPod ToWorkloadPod(this V1Pod pod, IReadOnlyList<string> gpuResources)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var cores = 0.0;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            cores += Quantity(container.Resources?.Requests, "cpu") ?? Quantity(container.Resources?.Limits, "cpu") ?? 0;
        }

        var gpus = V1PodConversion.NeedsOf(pod.Spec, gpuResources, []).Gpus;
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var started = KubernetesTimes.Utc(pod.Status?.StartTime)
            ?? statuses.Select(s => KubernetesTimes.Utc(s.State?.Running?.StartedAt ?? s.State?.Terminated?.StartedAt ?? s.LastState?.Terminated?.StartedAt)).Where(t => t is not null).Min();
        var finished = statuses.Count > 0 && statuses.All(s => s.State?.Terminated?.FinishedAt is not null)
            ? statuses.Max(s => KubernetesTimes.Utc(s.State.Terminated.FinishedAt))
            : null;
        return new WorkloadPod(pod.Metadata?.Name ?? string.Empty, pod.Spec?.NodeName is { Length: > 0 } node ? node : null, cores, gpus, started, finished);
    }

    private static double? Quantity(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var quantity) && Scheduler.Core.Quantities.ResourceQuantity.TryParse(quantity.ToString(), out var value) ? value : null;
}
