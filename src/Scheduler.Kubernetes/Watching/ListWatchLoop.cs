using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Watching;

/// <summary>
/// Keeps a local view of one kind of object in step with the cluster, the informer pattern of
/// client-go: a paginated list, then a watch from its resourceVersion with bookmarks; a watch that
/// expires (410 Gone) is followed by a fresh list, and a failure by a fresh list after a capped
/// exponential back-off. Subclasses say how to list and watch their kind and what to do with it.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public abstract partial class ListWatchLoop<T>(string kind, IOptions<KubernetesOptions> options, TimeProvider time, ILogger logger)
    where T : IKubernetesObject<k8s.Models.V1ObjectMeta>
{
    /// <summary>Objects asked for per list page.</summary>
    protected const int PageSize = 500;

    /// <summary>The options of the cluster connection.</summary>
    protected KubernetesOptions Options => options.Value;

    /// <summary>Lists and watches until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
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
                LogWatchFailed(logger, e, kind, delay.TotalSeconds);
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

    /// <summary>Lists every object, hands them to <see cref="Replace"/>, and returns the list's resourceVersion.</summary>
    public async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var (page, next, version) = await ListPageAsync(continueToken, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Where(i => !string.IsNullOrEmpty(i.Metadata?.Name)));
            continueToken = next;
            resourceVersion = version;
        }
        while (!string.IsNullOrEmpty(continueToken));

        Replace(items);
        LogListed(logger, items.Count, kind, resourceVersion);
        return resourceVersion;
    }

    /// <summary>One page of the list: its items, the continue token and the list's resourceVersion.</summary>
    protected abstract Task<(IList<T> Items, string? Continue, string? ResourceVersion)> ListPageAsync(string? continueToken, CancellationToken cancellationToken);

    /// <summary>The watch from <paramref name="resourceVersion"/> (bookmarks on, ending after the configured timeout).</summary>
    protected abstract IAsyncEnumerable<(WatchEventType Type, T Item)> Watch(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    /// <summary>Replaces the local view with a full list.</summary>
    protected abstract void Replace(IReadOnlyList<T> items);

    /// <summary>Applies one added or modified object.</summary>
    protected abstract void Upsert(T item);

    /// <summary>Applies one deleted object.</summary>
    protected abstract void Remove(T item);

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
            var events = Watch(
                resourceVersion,
                e =>
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
                        LogWatchEventUnreadable(logger, e, kind);
                    }
                },
                cancellationToken);

            await foreach (var (type, item) in events.ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified when !string.IsNullOrEmpty(item.Metadata?.Name):
                        Upsert(item);
                        break;
                    case WatchEventType.Deleted when item.Metadata?.Name is not null:
                        Remove(item);
                        break;
                    default:
                        break;
                }

                if (item.Metadata?.ResourceVersion is { Length: > 0 } version)
                {
                    resourceVersion = version;
                }
            }

            if (expired)
            {
                LogWatchExpired(logger, kind);
                return;
            }

            if (failure is not null)
            {
                throw failure;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, int count, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} watch expired; listing again")]
    private static partial void LogWatchExpired(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} watch event could not be read")]
    private static partial void LogWatchEventUnreadable(ILogger logger, Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing or watching {Kind} failed; retrying in {DelaySeconds} s")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string kind, double delaySeconds);
}
