using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Watches every namespace's Pods and keeps those the controller acts on: bare Pods with our scheduling gate
/// or our state annotation, and in dry run those the webhook would have held (see
/// <see cref="V1PodConversion.IsDeferred"/>). Every other Pod is dropped as it is read, so the cache stays as
/// small as the number of deferred Pods.
/// </summary>
public sealed class PodWatcher(IKubernetes client, PendingJobs pending, IOptions<DeferralOptions> deferral, IOptions<KubernetesOptions> options, TimeProvider time, ILogger<PodWatcher> logger)
    : DeferralWatcher<V1Pod>("pods", pending, options, time, logger)
{
    /// <inheritdoc />
    protected override async Task<(IList<V1Pod> Items, string? Continue, string? ResourceVersion)> ListPageAsync(string? continueToken, CancellationToken cancellationToken)
    {
        var page = await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (page.Items, page.Metadata?.ContinueProperty, page.Metadata?.ResourceVersion);
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<(WatchEventType Type, V1Pod Item)> Watch(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: Options.WatchTimeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);

    /// <inheritdoc />
    protected override JobKey KeyOf(V1Pod item) => item.KeyOf();

    /// <inheritdoc />
    protected override bool Tracks(V1Pod item) => item.IsDeferred(deferral.Value);
}
