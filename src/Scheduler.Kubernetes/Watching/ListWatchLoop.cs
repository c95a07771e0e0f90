using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Kubernetes.Watching;

/// <summary>
/// Keeps a local view of one kind of object in step with the cluster, the informer pattern of
/// client-go: a paginated list, then a watch from its resourceVersion with bookmarks; a watch that
/// expires (410 Gone) is followed by a fresh list, a watch that ends (the server's timeout, or a connection
/// lost mid-stream) by a new watch from the last resourceVersion seen, and a failure by a fresh list after a
/// capped exponential back-off. Subclasses say how to list and watch their kind and what to do with it.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public abstract partial class ListWatchLoop<T>(string kind, IOptions<KubernetesOptions> options, TimeProvider time, ILogger logger)
    where T : IKubernetesObject<k8s.Models.V1ObjectMeta>
{
    /// <summary>Objects asked for per list page.</summary>
    protected const int PageSize = 500;

    /// <summary>
    /// How long a watch that ends in an I/O error without any event must have stayed open to count as ended rather
    /// than failed: one refused at once, again and again (a proxy closing every stream), must back off.
    /// </summary>
    private static readonly TimeSpan ShortestQuietWatch = TimeSpan.FromSeconds(1);

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

            var opened = time.GetTimestamp();
            var received = 0;
            var enumerator = events.GetAsyncEnumerator(cancellationToken);
            try
            {
                while (await NextAsync(enumerator, received, opened, cancellationToken).ConfigureAwait(false))
                {
                    received++;
                    var (type, item) = enumerator.Current;
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
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
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

    // The next event; false at the watch's end. The API server ends a watch at its timeoutSeconds by closing the
    // response; when it sent no event, the client reports the empty stream as an HttpRequestException over an
    // EndOfStreamException (kubernetes-client/csharp#893), and a connection lost mid-stream ends the same way. Both are a watch's end:
    // the next watch resumes from the last resourceVersion seen (a 410 then asks for a new list). Only a watch
    // refused at once, with no event, is a failure, so that the caller backs off.
    private async ValueTask<bool> NextAsync(IAsyncEnumerator<(WatchEventType Type, T Item)> events, int received, long opened, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException { InnerException: IOException }
            && !cancellationToken.IsCancellationRequested && (received > 0 || time.GetElapsedTime(opened) >= ShortestQuietWatch))
        {
            LogWatchEnded(logger, e, kind);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Kind} watch ended; watching again")]
    private static partial void LogWatchEnded(ILogger logger, Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, int count, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} watch expired; listing again")]
    private static partial void LogWatchExpired(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} watch event could not be read")]
    private static partial void LogWatchEventUnreadable(ILogger logger, Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing or watching {Kind} failed; retrying in {DelaySeconds} s")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string kind, double delaySeconds);
}
