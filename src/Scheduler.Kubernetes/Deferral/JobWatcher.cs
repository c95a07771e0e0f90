using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Watching;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Watches every namespace's Jobs and asks for a decision on each Job with carbon annotations when
/// it appears, changes or goes; a full list (at start, after an expired watch) asks for all of them.
/// It keeps the latest copy of each such Job (an informer's cache): a forecast refresh or a resync
/// decides from memory and talks to the API server only for the Jobs whose plan changes.
/// </summary>
public sealed class JobWatcher(IKubernetes client, PendingJobs pending, IOptions<KubernetesOptions> options, TimeProvider time, ILogger<JobWatcher> logger)
    : ListWatchLoop<V1Job>("jobs", options, time, logger)
{
    private ConcurrentDictionary<JobKey, (V1Job Job, DeferralState State)> _jobs = new();

    /// <summary>Every Job with carbon annotations seen.</summary>
    public IReadOnlyCollection<JobKey> Known => [.. _jobs.Keys];

    /// <summary>The Jobs held or paused: the ones a new forecast may move.</summary>
    public IReadOnlyCollection<JobKey> Waiting => [.. _jobs.Where(j => j.Value.State is DeferralState.Held or DeferralState.Paused).Select(j => j.Key)];

    /// <summary>The number of Jobs in each state, for metrics.</summary>
    public IReadOnlyDictionary<DeferralState, int> CountByState() =>
        _jobs.Values.GroupBy(j => j.State).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The latest copy of <paramref name="key"/> the watch has seen, if any; it may lag behind the API server.</summary>
    public V1Job? Find(JobKey key) => _jobs.TryGetValue(key, out var entry) ? entry.Job : null;

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

    /// <inheritdoc />
    protected override void Replace(IReadOnlyList<V1Job> items)
    {
        var fresh = new ConcurrentDictionary<JobKey, (V1Job Job, DeferralState State)>();
        foreach (var job in items.Where(j => j.HasCarbonAnnotations()))
        {
            fresh[job.KeyOf()] = (job, StateOf(job));
        }

        // Jobs that went while no watch was open are decided on too: the controller finds them gone and forgets them.
        var gone = _jobs.Keys.Where(k => !fresh.ContainsKey(k)).ToList();
        _jobs = fresh;
        foreach (var key in fresh.Keys.Concat(gone))
        {
            pending.Enqueue(key);
        }
    }

    /// <inheritdoc />
    protected override void Upsert(V1Job item)
    {
        var key = item.KeyOf();
        if (item.HasCarbonAnnotations())
        {
            _jobs[key] = (item, StateOf(item));
            pending.Enqueue(key);
        }
        else if (_jobs.TryRemove(key, out _))
        {
            pending.Enqueue(key);
        }
    }

    /// <inheritdoc />
    protected override void Remove(V1Job item)
    {
        var key = item.KeyOf();
        if (_jobs.TryRemove(key, out _))
        {
            pending.Enqueue(key);
        }
    }

    private static DeferralState StateOf(V1Job job) =>
        DeferralRecord.Read(job.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null).State;
}
