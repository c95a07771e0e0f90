using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The deletes of <see cref="ResourceStore"/>, as the API server's registry store does them: uid and
/// resourceVersion preconditions; <c>Background</c> removes the object at once, <c>Orphan</c> and
/// <c>Foreground</c> (and any finalizer) first set <c>deletionTimestamp</c> and a finalizer. The garbage
/// collector is played at once: dependents (by ownerReference uid) are orphaned or deleted, then its finalizer
/// is dropped, which deletes the object unless other finalizers remain.
/// </summary>
internal sealed partial class ResourceStore
{
    /// <summary>Deletes object <paramref name="name"/>; returns the Success Status, or the object when deletion waits on finalizers.</summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, DeleteRequest request)
    {
        var storageType = ResourceCatalog.StorageOf(type);
        var policy = request.PropagationPolicy ?? storageType.DefaultPropagation;
        if (policy is not ("Orphan" or "Background" or "Foreground"))
        {
            var error = FieldError.NotSupported("propagationPolicy", policy, "Foreground", "Background", "Orphan");
            throw new ApiStatusException(StatusResponses.Failure(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: {error}", new JsonObject
            {
                ["group"] = "meta.k8s.io",
                ["kind"] = "DeleteOptions",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Body, ["field"] = error.Field }),
            }));
        }

        lock (_gate)
        {
            if (!ObjectsOf(_objects, type).TryGetValue(Key(type, ns, name), out var current))
            {
                throw new ApiStatusException(StatusResponses.NotFound(type, name));
            }

            var uid = Uid(current) ?? string.Empty;
            if (request.Uid is { } expectedUid && expectedUid != uid)
            {
                throw new ApiStatusException(StatusResponses.Conflict(type, name, $"Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {uid}"));
            }

            if (request.ResourceVersion is { } expectedVersion && expectedVersion != ResourceVersion(current))
            {
                throw new ApiStatusException(StatusResponses.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {expectedVersion}, ResourceVersion in object meta: {ResourceVersion(current)}"));
            }

            var finalizers = Finalizers(current);
            var collectorFinalizer = policy switch { "Orphan" => "orphan", "Foreground" => "foregroundDeletion", _ => null };
            if (Metadata(current)["deletionTimestamp"] is not null || request.DryRun)
            {
                return collectorFinalizer is null && finalizers.Count == 0 ? StatusResponses.Deleted(type, name, uid) : type.FromStorage(current);
            }

            if (collectorFinalizer is null && finalizers.Count == 0)
            {
                Commit(storageType, "DELETED", Copy(current), current);
                CollectDependents(uid, orphan: false);
                return StatusResponses.Deleted(type, name, uid);
            }

            var deleting = Copy(current);
            var meta = Metadata(deleting);
            meta["deletionTimestamp"] = Timestamp(_now());
            meta["deletionGracePeriodSeconds"] = 0;
            if (collectorFinalizer is not null && !finalizers.Contains(collectorFinalizer))
            {
                meta["finalizers"] = new JsonArray([.. finalizers.Append(collectorFinalizer).Select(f => (JsonNode)f)]);
            }

            deleting = Finish(storageType, deleting);
            Commit(storageType, "MODIFIED", deleting, current);
            var response = type.FromStorage(deleting);
            if (collectorFinalizer is not null)
            {
                // The garbage collector, at once: orphans or deletes the dependents, then drops its finalizer.
                CollectDependents(uid, orphan: policy == "Orphan");
                var collected = Copy(deleting);
                var remaining = Finalizers(deleting).Where(f => f != collectorFinalizer).ToList();
                Metadata(collected)["finalizers"] = remaining.Count == 0 ? null : new JsonArray([.. remaining.Select(f => (JsonNode)f)]);
                Commit(storageType, remaining.Count == 0 ? "DELETED" : "MODIFIED", Finish(storageType, collected), deleting);
            }

            return response;
        }
    }

    private static List<string> Finalizers(JsonObject json) =>
        At(json, "metadata", "finalizers") is JsonArray finalizers ? [.. finalizers.Select(f => f?.GetValue<string>() ?? string.Empty)] : [];

    private void CollectDependents(string ownerUid, bool orphan)
    {
        // Callers hold _gate.
        var dependents = _objects
            .SelectMany(storage => storage.Value.Values.Select(stored => (Type: ResourceCatalog.All.First(t => t.Storage == storage.Key && t.Conversion is null), Stored: stored)))
            .Where(d => At(d.Stored, "metadata", "ownerReferences") is JsonArray owners && owners.Any(o => StringAt(o!.AsObject(), "uid") == ownerUid))
            .ToList();
        foreach (var (type, stored) in dependents)
        {
            if (!orphan)
            {
                Commit(type, "DELETED", Copy(stored), stored);
                continue;
            }

            var orphaned = Copy(stored);
            var owners = (JsonArray)At(orphaned, "metadata", "ownerReferences")!;
            foreach (var owner in owners.Where(o => StringAt(o!.AsObject(), "uid") == ownerUid).ToList())
            {
                owners.Remove(owner);
            }

            if (owners.Count == 0)
            {
                Metadata(orphaned).Remove("ownerReferences");
            }

            Commit(type, "MODIFIED", orphaned, stored);
        }
    }
}
