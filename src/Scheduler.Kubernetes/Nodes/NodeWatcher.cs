using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// Keeps the node cache in step with the cluster: a paginated list, then a watch from its
/// resourceVersion with bookmarks; a watch that expires (410 Gone) or fails is followed by a
/// fresh list after a capped exponential back-off. Scoring never waits on it.
/// </summary>
public sealed partial class NodeWatcher(
    IKubernetes client,
    NodeCache cache,
    IOptions<KubernetesOptions> options,
    TimeProvider time,
    ILogger<NodeWatcher> logger) : BackgroundService
{
    private const int PageSize = 500;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(stoppingToken).ConfigureAwait(false);
                await WatchAsync(resourceVersion, stoppingToken).ConfigureAwait(false);

                // Only a watch that ended as expected resets the back-off: a list that works followed
                // by a watch that always fails (e.g. RBAC without 'watch') must still back off.
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(options.Value.MaxReconnectDelaySeconds, Math.Pow(2, Math.Min(failures, 10)) / 2));
                LogWatchFailed(logger, e, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists every node, replaces the cache, and returns the list's resourceVersion.</summary>
    internal async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var nodes = new List<NodeFacts>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await client.CoreV1.ListNodeAsync(
                continueParameter: continueToken,
                limit: PageSize,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var node in page.Items)
            {
                if (!string.IsNullOrEmpty(node.Metadata?.Name))
                {
                    nodes.Add(node.ToFacts());
                }
            }

            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        cache.ReplaceAll(nodes);
        LogListed(logger, nodes.Count, resourceVersion);
        return resourceVersion;
    }

    /// <summary>Applies watch events until the watch ends; returns normally when it should be re-listed.</summary>
    private async Task WatchAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // The client does not yield ERROR events: it turns their Status into a KubernetesException
            // and hands it to onError. A 410 Gone means our resourceVersion is too old: list again.
            // Any other error status ends the watch as a failure, so the caller backs off.
            var expired = false;
            KubernetesException? failure = null;
            var events = client.CoreV1.WatchListNodeAsync(
                allowWatchBookmarks: true,
                resourceVersion: resourceVersion,
                timeoutSeconds: options.Value.WatchTimeoutSeconds,
                onError: e =>
                {
                    if (e is KubernetesException { Status.Code: 410 })
                    {
                        expired = true;
                    }
                    else if (e is KubernetesException status)
                    {
                        failure = status;
                    }
                    else
                    {
                        LogWatchEventUnreadable(logger, e);
                    }
                },
                cancellationToken: cancellationToken);

            await foreach (var (type, node) in events.ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified when !string.IsNullOrEmpty(node.Metadata?.Name):
                        cache.Upsert(node.ToFacts());
                        break;
                    case WatchEventType.Deleted when node.Metadata?.Name is { } name:
                        cache.Remove(name);
                        break;
                    default:
                        break;
                }

                if (node.Metadata?.ResourceVersion is { Length: > 0 } version)
                {
                    resourceVersion = version;
                }
            }

            if (expired)
            {
                LogWatchExpired(logger);
                return;
            }

            if (failure is not null)
            {
                throw failure;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} nodes at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "The node watch expired; listing nodes again")]
    private static partial void LogWatchExpired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A node watch event could not be read")]
    private static partial void LogWatchEventUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing or watching nodes failed; retrying in {DelaySeconds} s")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, double delaySeconds);
}
