using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The writes of <see cref="ResourceStore"/>, with the API server's generic rules (<c>rest.BeforeCreate</c>,
/// <c>rest.BeforeUpdate</c>, the registry store's preconditions and finalizer-based deletion) around the
/// kind's strategy:
/// <list type="bullet">
/// <item>create: namespace from the path, <c>generateName</c>, a new uid, <c>creationTimestamp</c>,
/// generation 1 for kinds that track it; an existing name is a 409 AlreadyExists, a resourceVersion in the
/// body a 500 (as the API server's storage answers it);</item>
/// <item>update (PUT, PATCH): a stale <c>metadata.resourceVersion</c> is a 409 Conflict, none is an
/// unconditional update; uid, creationTimestamp, generation and deletionTimestamp come from the stored object;
/// generation moves on when <c>spec</c> changes; an update that changes nothing is not written (no new
/// resourceVersion, no event), as etcd3's store skips it; removing the last finalizer of an object being
/// deleted deletes it.</item>
/// </list>
/// Deletes are in <c>ResourceStore.Deletes.cs</c>.
/// </summary>
internal sealed partial class ResourceStore
{
    // The alphabet of names.SimpleNameGenerator (no vowels, no look-alikes).
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Creates an object from <paramref name="body"/> (in <paramref name="type"/>'s form); returns it as stored, in that form.</summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        var storageType = ResourceCatalog.StorageOf(type);
        var json = Decode(type, body, options);
        var meta = Metadata(json);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
        }
        else if (string.IsNullOrEmpty(Namespace(json)))
        {
            meta["namespace"] = ns ?? throw new ArgumentException("A namespaced object needs metadata.namespace.", nameof(body));
        }
        else if (ns is not null && Namespace(json) != ns)
        {
            throw new ApiStatusException(StatusResponses.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        if (string.IsNullOrEmpty(Name(json)))
        {
            meta["name"] = StringAt(json, "metadata", "generateName") is { Length: > 0 } prefix
                ? prefix + RandomNumberGenerator.GetString(GenerateNameAlphabet, 5)
                : throw new ApiStatusException(StatusResponses.Invalid(type, string.Empty, [FieldError.Required("metadata.name", "name or generateName is required")]));
        }

        if (!string.IsNullOrEmpty(ResourceVersion(json)))
        {
            meta.Remove("resourceVersion");
            if (!options.FromTest)
            {
                throw new ApiStatusException(StatusResponses.InternalError("resourceVersion should not be set on objects to be created"));
            }
        }

        var name = Name(json);
        lock (_gate)
        {
            if (ObjectsOf(_objects, type).ContainsKey(KeyOf(type, json)))
            {
                throw new ApiStatusException(StatusResponses.AlreadyExists(type, name));
            }

            if (!options.FromTest || string.IsNullOrEmpty(Uid(json)))
            {
                meta["uid"] = Guid.NewGuid().ToString();
            }

            if (!options.FromTest || meta["creationTimestamp"] is null)
            {
                meta["creationTimestamp"] = Timestamp(_now());
            }

            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("generation");
            var strategy = storageType.Strategy;
            if (strategy.TracksGeneration)
            {
                meta["generation"] = 1;
            }

            strategy.PrepareForCreate(json);
            Validate(type, name, strategy.ValidateCreate(json, type));
            var stored = Finish(storageType, json);
            if (!options.DryRun)
            {
                Commit(storageType, "ADDED", stored, null);
            }

            return type.FromStorage(stored);
        }
    }

    /// <summary>
    /// Updates object <paramref name="name"/> to what <paramref name="change"/> makes of it (given and returning
    /// <paramref name="type"/>'s form); returns the object as stored.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, Func<JsonObject, JsonNode?> change, WriteOptions options)
    {
        var storageType = ResourceCatalog.StorageOf(type);
        lock (_gate)
        {
            if (!ObjectsOf(_objects, type).TryGetValue(Key(type, ns, name), out var current))
            {
                throw new ApiStatusException(StatusResponses.NotFound(type, name));
            }

            var changed = change(type.FromStorage(current));
            var json = Decode(type, changed as JsonObject ?? throw Undecodable(changed?.ToJsonString() ?? "null", "the result is not a JSON object", options), options);
            var meta = Metadata(json);
            if (Name(json) != name)
            {
                throw new ApiStatusException(StatusResponses.BadRequest($"the name of the object ({Name(json)}) does not match the name on the URL ({name})"));
            }

            if (!type.Namespaced)
            {
                meta.Remove("namespace");
            }
            else if (string.IsNullOrEmpty(Namespace(json)))
            {
                meta["namespace"] = Namespace(current);
            }
            else if (Namespace(json) != Namespace(current))
            {
                throw new ApiStatusException(StatusResponses.BadRequest($"the namespace of the object ({Namespace(json)}) does not match the namespace on the request ({Namespace(current)})"));
            }

            if (!options.FromTest)
            {
                CheckPreconditions(type, name, json, current, options);
            }

            // System fields are the server's: requests cannot change them.
            var currentMeta = Metadata(current);
            foreach (var field in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                meta.Remove(field);
                if (currentMeta[field] is { } value)
                {
                    meta[field] = value.DeepClone();
                }
            }

            var strategy = storageType.Strategy;
            if (!options.StatusOnly)
            {
                strategy.PrepareForUpdate(json, current);
            }

            if (strategy.TracksGeneration && !JsonNode.DeepEquals(json["spec"], current["spec"]))
            {
                meta["generation"] = (currentMeta["generation"]?.GetValue<long>() ?? 0) + 1;
            }

            if (!options.StatusOnly)
            {
                Validate(type, name, strategy.ValidateUpdate(json, current, type));
            }

            var stored = Finish(storageType, json);
            Metadata(stored)["resourceVersion"] = ResourceVersion(current);
            if (JsonNode.DeepEquals(stored, current))
            {
                return type.FromStorage(current);
            }

            if (!options.DryRun)
            {
                var finalized = Metadata(stored)["deletionTimestamp"] is not null && Metadata(stored)["finalizers"] is not JsonArray { Count: > 0 };
                Commit(storageType, finalized ? "DELETED" : "MODIFIED", stored, current);
            }

            return type.FromStorage(stored);
        }
    }

    private static void CheckPreconditions(ResourceType type, string name, JsonObject json, JsonObject current, WriteOptions options)
    {
        var uid = Uid(json);
        if (!string.IsNullOrEmpty(uid) && uid != Uid(current))
        {
            // A PUT carries its uid as a precondition (the object was deleted and created again);
            // a patch that changes it fails validation.
            throw new ApiStatusException(options.IsReplace
                ? StatusResponses.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Uid(current)}")
                : StatusResponses.Invalid(type, name, [FieldError.Invalid("metadata.uid", uid, "field is immutable")]));
        }

        var version = ResourceVersion(json);
        if (!string.IsNullOrEmpty(version) && version != ResourceVersion(current))
        {
            throw new ApiStatusException(StatusResponses.Conflict(type, name));
        }
    }

    private static void Validate(ResourceType type, string name, IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw new ApiStatusException(StatusResponses.Invalid(type, name, list));
        }
    }

    private static JsonObject Decode(ResourceType type, JsonObject body, WriteOptions options)
    {
        if (StringAt(body, "apiVersion") is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            throw new ApiStatusException(StatusResponses.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})"));
        }

        JsonObject json;
        try
        {
            json = type.Normalize(body);
            if (type.Conversion is not null)
            {
                json = ResourceCatalog.StorageOf(type).Normalize(type.ToStorage(json));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw Undecodable(body.ToJsonString(), e.Message, options);
        }

        json.Remove("kind");
        json.Remove("apiVersion");
        ResourceCatalog.StorageOf(type).Strategy.ApplyDefaults(json);
        return json;
    }

    private static ApiStatusException Undecodable(string json, string error, WriteOptions options) =>
        new(options.IsPatch ? StatusResponses.PatchResultInvalid(json, error) : StatusResponses.BadRequest(error));

    private static JsonObject Finish(ResourceType storageType, JsonObject json)
    {
        // Through the typed model once more, so that every stored object has the same field order.
        var stored = storageType.Normalize(json);

        TimePrecision.TruncateToSeconds(stored, [.. TimePrecision.MetadataTimes, .. storageType.SecondTimes]);

        // Go leaves out empty maps and lists of ObjectMeta (omitempty): an annotation map emptied by a patch is gone.
        foreach (var metadata in new[] { At(stored, "metadata"), At(stored, "spec", "template", "metadata") }.OfType<JsonObject>())
        {
            foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
            {
                if (metadata[field] is JsonObject { Count: 0 } or JsonArray { Count: 0 })
                {
                    metadata.Remove(field);
                }
            }
        }

        return storageType.WithType(stored);
    }
}
