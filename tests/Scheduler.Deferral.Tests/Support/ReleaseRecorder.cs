using k8s;
using k8s.Models;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>
/// Watches the Jobs of the fake API from a resourceVersion, as any client would, and notes the wall-clock time of
/// every change that lets a Job run (<c>spec.suspend</c> from <c>true</c> to <c>false</c>). The watch replays every
/// change after its resourceVersion, so no release is missed and each is counted once; the time is when the change
/// reached the test, a few milliseconds after the patch that made it.
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
                var events = _client.BatchV1.WatchListNamespacedJobAsync(
                    _namespace,
                    allowWatchBookmarks: true,
                    resourceVersion: resourceVersion,
                    timeoutSeconds: 60,
                    onError: e => Volatile.Write(ref _failure, e),
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
