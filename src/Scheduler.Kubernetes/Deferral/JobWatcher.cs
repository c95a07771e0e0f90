using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Watches every namespace's Jobs and asks for a decision on each Job with carbon annotations when it
/// appears, changes or goes, keeping the latest copy of each (see <see cref="DeferralWatcher{T}"/>). The other Jobs
/// are not kept; those seen finished are handed to <see cref="UntrackedJobFinished"/> (for the carbon ledger).
/// </summary>
public sealed class JobWatcher(IKubernetes client, PendingJobs pending, IOptions<KubernetesOptions> options, TimeProvider time, ILogger<JobWatcher> logger)
    : DeferralWatcher<V1Job>("jobs", pending, options, time, logger)
{
    /// <inheritdoc />
    protected override async Task<(IList<V1Job> Items, string? Continue, string? ResourceVersion)> ListPageAsync(string? continueToken, CancellationToken cancellationToken)
    {
        var page = await client.BatchV1.ListJobForAllNamespacesAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (page.Items, page.Metadata?.ContinueProperty, page.Metadata?.ResourceVersion);
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<(WatchEventType Type, V1Job Item)> Watch(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.BatchV1.WatchListJobForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: Options.WatchTimeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Raised, on the watch's thread, for each Job without carbon annotations seen finished: on every list and every
    /// change, so once or more per Job. Handlers return quickly and do not throw.
    /// </summary>
    public event EventHandler<V1Job>? UntrackedJobFinished;

    /// <inheritdoc />
    protected override JobKey KeyOf(V1Job item) => item.KeyOf();

    /// <inheritdoc />
    protected override void Passed(V1Job item)
    {
        if (UntrackedJobFinished is { } handler && item.IsFinished())
        {
            handler(this, item);
        }
    }

    /// <inheritdoc />
    protected override bool Tracks(V1Job item) => item.HasCarbonAnnotations();
}
