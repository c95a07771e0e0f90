using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The objects of every resource the fake serves, as etcd and the API server's watch cache keep them:
/// one server-wide resourceVersion that every write moves on, keys ordered as etcd orders them
/// (<c>name</c>, or <c>namespace/name</c>), a history of changes that watches replay from a
/// resourceVersion, snapshots that continue tokens page through, and compaction that expires both.
/// This file holds the state, the reads and the watches; <c>ResourceStore.Writes.cs</c> the writes.
/// </summary>
internal sealed partial class ResourceStore
{
    private const string ContinueTooOld =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
        + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
        + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    private static readonly ImmutableSortedDictionary<string, JsonObject> NoObjects = ImmutableSortedDictionary.Create<string, JsonObject>(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Func<DateTimeOffset> _now;
    private readonly List<StoredChange> _history = [];
    private readonly List<WatchConnection> _watches = [];
    private readonly Dictionary<long, ImmutableDictionary<string, ImmutableSortedDictionary<string, JsonObject>>> _snapshots = [];
    private readonly Dictionary<(string Storage, string Key), long> _createdAt = [];
    private ImmutableDictionary<string, ImmutableSortedDictionary<string, JsonObject>> _objects = ImmutableDictionary<string, ImmutableSortedDictionary<string, JsonObject>>.Empty;
    private long _version;
    private long _oldestWatchable;

    /// <summary>A store at <paramref name="initialVersion"/>, dating writes with <paramref name="now"/>.</summary>
    public ResourceStore(long initialVersion, Func<DateTimeOffset> now)
    {
        _version = initialVersion;
        _now = now;
    }

    /// <summary>The current resourceVersion.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>The number of watches still streaming.</summary>
    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>A copy of the stored object, or <c>null</c>.</summary>
    public JsonObject? Find(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return ObjectsOf(_objects, type).TryGetValue(Key(type, ns, name), out var stored) ? Copy(stored) : null;
        }
    }

    /// <summary>Copies of the stored objects of <paramref name="type"/> (in <paramref name="ns"/>, or all), in creation order.</summary>
    public IReadOnlyList<JsonObject> All(ResourceType type, string? ns)
    {
        lock (_gate)
        {
            return [.. ObjectsOf(_objects, type)
                .Where(o => ns is null || Namespace(o.Value) == ns)
                .OrderBy(o => _createdAt.GetValueOrDefault((type.Storage, o.Key)))
                .Select(o => Copy(o.Value))];
        }
    }

    /// <summary>The object as <paramref name="type"/> serves it; a 404 Status when there is none.</summary>
    public JsonObject Get(ResourceType type, string? ns, string name) =>
        Find(type, ns, name) is { } stored ? type.FromStorage(stored) : throw new ApiStatusException(StatusResponses.NotFound(type, name));

    /// <summary>
    /// The JSON of a list page: <paramref name="limit"/> items (all when <c>null</c>) from a consistent snapshot,
    /// with a continue token while keys remain. A token whose snapshot was compacted is a 410.
    /// </summary>
    public string List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        ImmutableDictionary<string, ImmutableSortedDictionary<string, JsonObject>>? snapshot;
        long version;
        var start = string.Empty;
        var prefix = type.Namespaced && ns is not null ? ns + "/" : string.Empty;
        var page = new List<JsonObject>();
        string? token = null;
        long? remaining = null;
        lock (_gate)
        {
            if (continueToken is { Length: > 0 })
            {
                var decoded = ContinueToken.Decode(continueToken)
                    ?? throw new ApiStatusException(StatusResponses.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
                (version, start) = (decoded.Rv, decoded.Start);
                snapshot = _snapshots.GetValueOrDefault(version) ?? throw new ApiStatusException(StatusResponses.Expired(ContinueTooOld));
            }
            else
            {
                (version, snapshot) = (_version, _objects);
            }

            var keys = ObjectsOf(snapshot, type)
                .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(o.Key[prefix.Length..], start) >= 0)
                .ToList();
            var selective = !labels.IsEmpty || !fields.IsEmpty;
            var scanned = 0;
            foreach (var (_, stored) in keys)
            {
                if (limit is > 0 && page.Count == limit)
                {
                    break;
                }

                scanned++;
                if (labels.Matches(Labels(stored)) && fields.Matches(stored))
                {
                    page.Add(stored);
                }
            }

            // As etcd pages: a full page continues while keys remain after it, matching or not; the count of
            // what remains is only known without selectors.
            if (scanned < keys.Count)
            {
                token = ContinueToken.Encode(version, keys[scanned - 1].Key[prefix.Length..]);
                remaining = selective ? null : keys.Count - scanned;
                _snapshots[version] = snapshot;
            }
        }

        var list = new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = ListMetadata(version, token, remaining),
            ["items"] = new JsonArray([.. page.Select(stored => (JsonNode)ListItem(type, stored))]),
        };
        return Serialize(list);
    }

    /// <summary>
    /// Opens a watch from <paramref name="resourceVersion"/>: the changes after it, then live ones; or, without one
    /// (or <c>0</c>), synthetic <c>ADDED</c> events for what matches now. A compacted resourceVersion gets an
    /// <c>ERROR</c> event with a 410 Expired Status, and the watch ends.
    /// </summary>
    public WatchConnection Watch(ResourceType type, string? ns, string? name, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks)
    {
        long? from = null;
        if (resourceVersion is { Length: > 0 } text && text != "0")
        {
            from = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ApiStatusException(StatusResponses.BadRequest($"resourceVersion: Invalid value: \"{text}\": strconv.ParseUint: parsing \"{text}\": invalid syntax"));
        }

        lock (_gate)
        {
            var watch = new WatchConnection(type, ns, name, labels, fields, bookmarks, from ?? _version);
            if (from is { } start && start < _oldestWatchable)
            {
                watch.Send(start, ExpiredEvent(start, _oldestWatchable));
                watch.End();
                return watch;
            }

            if (from is { } since)
            {
                foreach (var change in _history.Where(h => h.Version > since))
                {
                    watch.Offer(change);
                }
            }
            else
            {
                foreach (var stored in ObjectsOf(_objects, type).Values.Where(watch.Selects))
                {
                    watch.Send(_version, WatchConnection.EventLine("ADDED", Serialize(type.FromStorage(stored))));
                }
            }

            _watches.Add(watch);
            return watch;
        }
    }

    /// <summary>Forgets a watch whose response has ended.</summary>
    public void Unwatch(WatchConnection watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    /// <summary>Moves the resourceVersion on and sends a BOOKMARK at it to the watches that asked for bookmarks.</summary>
    public long SendBookmark()
    {
        lock (_gate)
        {
            var version = ++_version;
            foreach (var watch in _watches.Where(w => w.WantsBookmarks))
            {
                watch.Send(version, WatchConnection.EventLine("BOOKMARK", BookmarkJson(watch.Type, version)));
            }

            return version;
        }
    }

    /// <summary>
    /// Compacts the history: every older resourceVersion is gone, and open watches get a 410 and end; or, with
    /// <paramref name="endWatchesCleanly"/>, end as at timeoutSeconds, so that their re-watch is what gets the 410.
    /// </summary>
    public void ExpireHistory(bool endWatchesCleanly = false)
    {
        lock (_gate)
        {
            _oldestWatchable = ++_version;
            _history.Clear();
            foreach (var version in _snapshots.Keys.Where(v => v < _oldestWatchable).ToList())
            {
                _snapshots.Remove(version);
            }

            foreach (var watch in _watches)
            {
                if (!endWatchesCleanly)
                {
                    watch.Send(_version, ExpiredEvent(watch.Position, _oldestWatchable));
                }

                watch.End();
            }
        }
    }

    /// <summary>Ends (<paramref name="drop"/>: aborts) every open watch.</summary>
    public void EndWatches(bool drop)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                if (drop)
                {
                    watch.Drop();
                }
                else
                {
                    watch.End();
                }
            }
        }
    }

    private static string Key(ResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}/{name}" : name;

    private static string KeyOf(ResourceType type, JsonObject stored) => Key(type, Namespace(stored), Name(stored));

    private static ImmutableSortedDictionary<string, JsonObject> ObjectsOf(
        ImmutableDictionary<string, ImmutableSortedDictionary<string, JsonObject>> objects, ResourceType type) =>
        objects.GetValueOrDefault(type.Storage) ?? NoObjects;

    private static JsonObject ListMetadata(long version, string? token, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = Format(version) };
        if (token is not null)
        {
            metadata["continue"] = token;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return metadata;
    }

    private static JsonObject ListItem(ResourceType type, JsonObject stored)
    {
        // The API server leaves kind and apiVersion out of the items of a typed list.
        var item = type.FromStorage(stored);
        item.Remove("kind");
        item.Remove("apiVersion");
        return item;
    }

    private static string ExpiredEvent(long requested, long oldest) =>
        WatchConnection.EventLine("ERROR", StatusResponses.ToJson(StatusResponses.Expired($"too old resource version: {requested} ({oldest})")));

    private static string BookmarkJson(ResourceType type, long version)
    {
        // An empty object of the kind with only its resourceVersion, as Go writes one (zero times as null).
        var bookmark = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Format(version), ["creationTimestamp"] = null },
        };
        foreach (var (name, value) in type.BookmarkExtra ?? [])
        {
            bookmark[name] = value?.DeepClone();
        }

        return bookmark.ToJsonString();
    }

    private long Commit(ResourceType type, string eventType, JsonObject stored, JsonObject? previous)
    {
        // Callers hold _gate. The stored object is never changed after this: readers get copies.
        var version = ++_version;
        Metadata(stored)["resourceVersion"] = Format(version);
        var key = KeyOf(type, stored);
        var objects = ObjectsOf(_objects, type);
        _objects = _objects.SetItem(type.Storage, eventType == "DELETED" ? objects.Remove(key) : objects.SetItem(key, stored));
        if (eventType == "ADDED")
        {
            _createdAt[(type.Storage, key)] = version;
        }
        else if (eventType == "DELETED")
        {
            _createdAt.Remove((type.Storage, key));
        }

        var change = new StoredChange(version, type.Storage, eventType, stored, previous);
        _history.Add(change);
        foreach (var watch in _watches)
        {
            watch.Offer(change);
        }

        return version;
    }
}
