using k8s;
using k8s.Models;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>
/// Finds the pods of a Job as the Job controller labels them: by <c>batch.kubernetes.io/job-name</c> (Kubernetes
/// 1.27 and later), else by the older <c>job-name</c>; and of those only the ones whose
/// <c>batch.kubernetes.io/controller-uid</c> (or <c>controller-uid</c>, or controller owner) is the Job's uid, so
/// that the pods of an earlier Job of the same name are never counted.
/// </summary>
internal static class JobPods
{
    /// <summary>The label with the Job's name on its pods.</summary>
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    /// <summary>The same label before Kubernetes 1.27 (still set beside the new one).</summary>
    public const string LegacyJobNameLabel = "job-name";

    /// <summary>The label with the Job's uid on its pods.</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";

    /// <summary>The same label before Kubernetes 1.27.</summary>
    public const string LegacyControllerUidLabel = "controller-uid";

    private const int PageSize = 500;

    /// <summary>The pods of Job <paramref name="name"/> in <paramref name="namespace"/> whose Job has <paramref name="uid"/>.</summary>
    public static async Task<IReadOnlyList<V1Pod>> ListAsync(IKubernetes client, string @namespace, string name, string uid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var pods = await ListAsync(client, @namespace, $"{JobNameLabel}={name}", cancellationToken).ConfigureAwait(false);
        if (pods.Count == 0)
        {
            pods = await ListAsync(client, @namespace, $"{LegacyJobNameLabel}={name}", cancellationToken).ConfigureAwait(false);
        }

        return [.. pods.Where(pod => BelongsTo(pod, uid))];
    }

    /// <summary>Whether <paramref name="pod"/> belongs to the Job with <paramref name="uid"/>, by its uid labels, else its controller owner.</summary>
    public static bool BelongsTo(V1Pod pod, string uid)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata?.Labels;
        if (labels is not null && (labels.TryGetValue(ControllerUidLabel, out var label) || labels.TryGetValue(LegacyControllerUidLabel, out label)))
        {
            return string.Equals(label, uid, StringComparison.Ordinal);
        }

        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return owner is null || string.Equals(owner.Uid, uid, StringComparison.Ordinal);
    }

    private static async Task<List<V1Pod>> ListAsync(IKubernetes client, string @namespace, string selector, CancellationToken cancellationToken)
    {
        var pods = new List<V1Pod>();
        string? next = null;
        do
        {
            var page = await client.CoreV1.ListNamespacedPodAsync(@namespace, continueParameter: next, labelSelector: selector, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            pods.AddRange(page.Items ?? []);
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));
        return pods;
    }
}
