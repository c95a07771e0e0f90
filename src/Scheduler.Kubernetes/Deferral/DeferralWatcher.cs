using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Watching;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Watches every namespace's objects of one kind and asks for a decision on each one the controller acts on
/// when it appears, changes or goes; a full list (at start, after an expired watch) asks for all of them.
/// It keeps the latest copy of each such object (an informer's cache): a forecast refresh or a resync
/// decides from memory and talks to the API server only for the objects whose plan changes. The last copy of an
/// object seen to go is kept until the controller decides on it (<see cref="TakeGone"/>), so that what became of
/// it can be recorded.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public abstract class DeferralWatcher<T>(string kind, PendingJobs pending, IOptions<KubernetesOptions> options, TimeProvider time, ILogger logger)
    : ListWatchLoop<T>(kind, options, time, logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<JobKey, T> _gone = new();
    private ConcurrentDictionary<JobKey, (T Item, DeferralState State)> _items = new();

    /// <summary>Every object the controller acts on, as seen.</summary>
    public IReadOnlyCollection<JobKey> Known => [.. _items.Keys];

    /// <summary>The objects held or paused: the ones a new forecast may move.</summary>
    public IReadOnlyCollection<JobKey> Waiting => [.. _items.Where(j => j.Value.State is DeferralState.Held or DeferralState.Paused).Select(j => j.Key)];

    /// <summary>The number of objects in each state, for metrics.</summary>
    public IReadOnlyDictionary<DeferralState, int> CountByState() =>
        _items.Values.GroupBy(j => j.State).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The latest copy of <paramref name="key"/> the watch has seen, if any; it may lag behind the API server.</summary>
    public T? Find(JobKey key) => _items.TryGetValue(key, out var entry) ? entry.Item : null;

    /// <summary>
    /// The last copy of <paramref name="key"/> seen before it was deleted (by a watch event, or missing from a new
    /// list), if any, now forgotten: each deletion is handed out once. The key may name a new object since.
    /// </summary>
    public T? TakeGone(JobKey key) => _gone.TryRemove(key, out var item) ? item : null;

    /// <summary>The key of <paramref name="item"/>.</summary>
    protected abstract JobKey KeyOf(T item);

    /// <summary>Whether the controller acts on <paramref name="item"/>, so that it is kept and decided on.</summary>
    protected abstract bool Tracks(T item);

    /// <summary>
    /// Called, on the watch's thread, for each object seen (listed, added or changed) that the controller does not act
    /// on; the default does nothing. Objects are not kept for it.
    /// </summary>
    protected virtual void Passed(T item)
    {
    }

    /// <inheritdoc />
    protected override void Replace(IReadOnlyList<T> items)
    {
        var fresh = new ConcurrentDictionary<JobKey, (T Item, DeferralState State)>();
        foreach (var item in items)
        {
            if (Tracks(item))
            {
                fresh[KeyOf(item)] = (item, StateOf(item));
            }
            else
            {
                Passed(item);
            }
        }

        // Objects that went while no watch was open are decided on too: the controller finds them gone and forgets them.
        // One deleted and created again under its name meanwhile went too, though its key is still listed.
        var gone = _items.Where(k => !fresh.TryGetValue(k.Key, out var now) || now.Item.Metadata?.Uid != k.Value.Item.Metadata?.Uid).ToList();
        foreach (var (key, (item, _)) in gone)
        {
            _gone[key] = item;
        }

        _items = fresh;
        foreach (var key in fresh.Keys.Concat(gone.Select(g => g.Key)).Distinct())
        {
            pending.Enqueue(key);
        }
    }

    /// <inheritdoc />
    protected override void Upsert(T item)
    {
        var key = KeyOf(item);
        if (Tracks(item))
        {
            _items[key] = (item, StateOf(item));
            pending.Enqueue(key);
        }
        else
        {
            if (_items.TryRemove(key, out _))
            {
                pending.Enqueue(key);
            }

            Passed(item);
        }
    }

    /// <inheritdoc />
    protected override void Remove(T item)
    {
        var key = KeyOf(item);
        if (_items.TryRemove(key, out _))
        {
            // The deleted event carries the object's last state.
            _gone[key] = item;
            pending.Enqueue(key);
        }
    }

    private static DeferralState StateOf(T item) =>
        DeferralRecord.Read(item.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null).State;
}
