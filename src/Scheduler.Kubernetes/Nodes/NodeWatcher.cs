using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Kubernetes.Watching;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// Keeps the node cache in step with the cluster (list, then watch; see <see cref="ListWatchLoop{T}"/>).
/// Scoring never waits on it.
/// </summary>
public sealed class NodeWatcher(
    IKubernetes client,
    NodeCache cache,
    IOptions<KubernetesOptions> options,
    TimeProvider time,
    ILogger<NodeWatcher> logger) : BackgroundService
{
    private readonly Loop _loop = new(client, cache, options, time, logger);

    /// <summary>Lists every node, replaces the cache, and returns the list's resourceVersion.</summary>
    internal Task<string?> ListAsync(CancellationToken cancellationToken) => _loop.ListAsync(cancellationToken);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _loop.RunAsync(stoppingToken);

    private sealed class Loop(IKubernetes client, NodeCache cache, IOptions<KubernetesOptions> options, TimeProvider time, ILogger logger)
        : ListWatchLoop<V1Node>("nodes", options, time, logger)
    {
        protected override async Task<(IList<V1Node> Items, string? Continue, string? ResourceVersion)> ListPageAsync(string? continueToken, CancellationToken cancellationToken)
        {
            var page = await client.CoreV1.ListNodeAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (page.Items, page.Metadata?.ContinueProperty, page.Metadata?.ResourceVersion);
        }

        protected override IAsyncEnumerable<(WatchEventType Type, V1Node Item)> Watch(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
            client.CoreV1.WatchListNodeAsync(
                allowWatchBookmarks: true,
                resourceVersion: resourceVersion,
                timeoutSeconds: Options.WatchTimeoutSeconds,
                onError: onError,
                cancellationToken: cancellationToken);

        protected override void Replace(IReadOnlyList<V1Node> items) => cache.ReplaceAll(items.Select(n => n.ToFacts()));

        protected override void Upsert(V1Node item) => cache.Upsert(item.ToFacts());

        protected override void Remove(V1Node item) => cache.Remove(item.Metadata.Name);
    }
}
