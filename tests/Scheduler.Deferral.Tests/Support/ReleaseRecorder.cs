using k8s;
using k8s.Models;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>
/// Watches the Jobs of the fake API from a resourceVersion, as any client would, and notes the wall-clock time of
/// every change that lets a Job run (<c>spec.suspend</c> from <c>true</c> to <c>false</c>). The watch replays every
/// change after its resourceVersion, so no release is missed and each is counted once; the time is when the change
/// reached the test, a few milliseconds after the patch that made it. A watch that expires (410) is followed by a list.
/// </summary>
internal sealed class ReleaseRecorder : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _suspended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _releases = new(StringComparer.Ordinal);
    private readonly Task _watching;
    private Exception? _failure;
    private int _relists;

    public ReleaseRecorder(IKubernetes client, string @namespace, string resourceVersion)
    {
        _client = client;
        _namespace = @namespace;
        _watching = Task.Run(() => WatchAsync(resourceVersion, _stop.Token));
    }

    /// <summary>When each release reached the test, per Job (more than one means the Job was released twice).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DateTimeOffset>> Releases
    {
        get
        {
            lock (_gate)
            {
                return _releases.ToDictionary(r => r.Key, r => (IReadOnlyList<DateTimeOffset>)[.. r.Value], StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The first release of <paramref name="job"/>, or <c>null</c> while it is held.</summary>
    public DateTimeOffset? ReleasedAt(string job)
    {
        lock (_gate)
        {
            return _releases.TryGetValue(job, out var times) && times.Count > 0 ? times[0] : null;
        }
    }

    /// <summary>How many times the watch expired and the Jobs were listed again.</summary>
    public int Relists => Volatile.Read(ref _relists);

    /// <summary>Whether every one of <paramref name="jobs"/> has been released.</summary>
    public bool AllReleased(IEnumerable<string> jobs) => jobs.All(job => ReleasedAt(job) is not null);

    /// <summary>Fails the test if the watch reported an error (an expired resourceVersion would have lost changes).</summary>
    public void ThrowIfBroken()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new InvalidOperationException("The release recorder's watch failed.", failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(string resourceVersion, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var expired = false;
                var events = _client.BatchV1.WatchListNamespacedJobAsync(
                    _namespace,
                    allowWatchBookmarks: true,
                    resourceVersion: resourceVersion,
                    timeoutSeconds: 60,
                    onError: e =>
                    {
                        if (e is KubernetesException { Status.Code: 410 })
                        {
                            expired = true;
                        }
                        else
                        {
                            Volatile.Write(ref _failure, e);
                        }
                    },
                    cancellationToken: token);
                await foreach (var (type, job) in events)
                {
                    var at = DateTimeOffset.UtcNow;
                    if (type is WatchEventType.Added or WatchEventType.Modified && job.Metadata?.Name is { } name)
                    {
                        Note(name, job, at);
                    }

                    if (job.Metadata?.ResourceVersion is { Length: > 0 } version)
                    {
                        resourceVersion = version;
                    }
                }

                if (expired)
                {
                    // The history was compacted (a fault test expires it): what changed meanwhile is read from a
                    // list, as an informer does. A release in that gap is timed when the list is read, a few
                    // milliseconds late; the CarbonReleased Events still tell a Job released twice.
                    var list = await _client.BatchV1.ListNamespacedJobAsync(_namespace, cancellationToken: token);
                    var at = DateTimeOffset.UtcNow;
                    foreach (var job in list.Items)
                    {
                        Note(job.Metadata.Name, job, at);
                    }

                    resourceVersion = list.Metadata.ResourceVersion;
                    Interlocked.Increment(ref _relists);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // A dropped connection: the watch is resumed from the last resourceVersion seen, so nothing is lost.
                await Task.Delay(TimeSpan.FromMilliseconds(100), token);
            }
        }
    }

    private void Note(string name, V1Job job, DateTimeOffset at)
    {
        var suspended = job.Spec?.Suspend == true;
        lock (_gate)
        {
            if (_suspended.TryGetValue(name, out var was) && was && !suspended)
            {
                if (!_releases.TryGetValue(name, out var times))
                {
                    _releases[name] = times = [];
                }

                times.Add(at);
            }

            _suspended[name] = suspended;
        }
    }
}
