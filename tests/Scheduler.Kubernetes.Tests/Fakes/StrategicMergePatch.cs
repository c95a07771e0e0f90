using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) for the fields the fake's kinds
/// are patched on. It is a merge patch (objects merge, <c>null</c> removes) except for the lists Kubernetes
/// declares a patch strategy for, which merge instead of being replaced:
/// <list type="bullet">
/// <item>by merge key: <c>metadata.ownerReferences</c> (uid), a pod spec's <c>containers</c>,
/// <c>initContainers</c>, <c>ephemeralContainers</c>, <c>volumes</c>, <c>imagePullSecrets</c>,
/// <c>schedulingGates</c>, <c>resourceClaims</c> (name), <c>hostAliases</c> (ip),
/// <c>topologySpreadConstraints</c> (topologyKey), and a container's <c>env</c> (name), <c>ports</c>
/// (containerPort), <c>volumeMounts</c> (mountPath), <c>volumeDevices</c> (devicePath);</item>
/// <item>as a set: <c>metadata.finalizers</c>.</item>
/// </list>
/// Every other list is atomic (replaced), among them a pod template's <c>affinity</c> terms and
/// <c>tolerations</c>, as in Kubernetes. Directives: <c>$patch: replace</c> and <c>$patch: delete</c> on an
/// object or a list item, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c>; the ordering
/// directive <c>$setElementOrder/&lt;field&gt;</c> is accepted and ignored (merged items keep the stored
/// order, new ones are appended). Other <c>$</c> directives are a 400.
/// </summary>
internal static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
    private const string RetainKeys = "$retainKeys";

    // Path suffixes (fields joined by '.', list items as []) and the merge key of the list there; "" merges a list of primitives as a set.
    private static readonly (string Suffix, string Key)[] MergeLists =
    [
        ("metadata.finalizers", string.Empty),
        ("metadata.ownerReferences", "uid"),
        ("spec.containers", "name"),
        ("spec.initContainers", "name"),
        ("spec.ephemeralContainers", "name"),
        ("spec.volumes", "name"),
        ("spec.imagePullSecrets", "name"),
        ("spec.schedulingGates", "name"),
        ("spec.resourceClaims", "name"),
        ("spec.hostAliases", "ip"),
        ("spec.topologySpreadConstraints", "topologyKey"),
        ("Containers[].env", "name"),
        ("Containers[].ports", "containerPort"),
        ("Containers[].volumeMounts", "mountPath"),
        ("Containers[].volumeDevices", "devicePath"),
        ("containers[].env", "name"),
        ("containers[].ports", "containerPort"),
        ("containers[].volumeMounts", "mountPath"),
        ("containers[].volumeDevices", "devicePath"),
    ];

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="document"/>.</summary>
    public static JsonNode? Apply(JsonNode? document, string patch) =>
        Merge(document?.DeepClone(), MergePatch.ParseObject(patch), string.Empty);

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch, string path)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        switch (members[Directive]?.GetValue<string>())
        {
            case "replace":
                return WithoutDirectives(members);
            case "delete":
                return null;
            case null or "merge":
                break;
            case var other:
                throw Unsupported($"{Directive}: {other}");
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in members)
        {
            if (name is Directive or RetainKeys || name.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (name.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = name[DeleteFromPrimitiveList.Length..];
                if (result[field] is JsonArray list && value is JsonArray removed)
                {
                    foreach (var item in list.Where(i => removed.Any(r => JsonNode.DeepEquals(i, r))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (name.StartsWith('$'))
            {
                throw Unsupported(name);
            }

            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var existing = result[name];
            JsonNode? merged = value switch
            {
                null => null,
                JsonArray items when ListKey(childPath) is { } key => MergeList(existing as JsonArray, items, key, childPath),
                _ => Merge(existing, value, childPath),
            };
            if (merged is null)
            {
                result.Remove(name);
            }
            else if (!ReferenceEquals(merged, existing))
            {
                result[name] = merged;
            }
        }

        if (members[RetainKeys] is JsonArray retained)
        {
            var keep = retained.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var name in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(name);
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string key, string path)
    {
        if (patch.OfType<JsonObject>().Any(i => i[Directive]?.GetValue<string>() == "replace"))
        {
            return [.. patch.Where(i => i is not JsonObject o || o[Directive] is null).Select(i => i?.DeepClone())];
        }

        var result = target is null ? [] : (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (key.Length == 0 || item is not JsonObject patchItem)
            {
                // A set of primitives: add what is missing.
                if (!result.Any(i => JsonNode.DeepEquals(i, item)))
                {
                    result.Add(item?.DeepClone());
                }

                continue;
            }

            var match = result.OfType<JsonObject>().FirstOrDefault(i => JsonNode.DeepEquals(i[key], patchItem[key]));
            if (patchItem[Directive]?.GetValue<string>() == "delete")
            {
                if (match is not null)
                {
                    result.Remove(match);
                }

                continue;
            }

            if (match is null)
            {
                result.Add(Merge(null, patchItem, path + "[]"));
            }
            else
            {
                Merge(match, patchItem, path + "[]");
            }
        }

        return result;
    }

    private static string? ListKey(string path) =>
        MergeLists.Where(l => path == l.Suffix || path.EndsWith("." + l.Suffix, StringComparison.Ordinal) || path.EndsWith(l.Suffix, StringComparison.Ordinal) && l.Suffix.Contains("[]", StringComparison.Ordinal))
            .Select(l => l.Key)
            .Cast<string?>()
            .FirstOrDefault();

    private static JsonObject WithoutDirectives(JsonObject members)
    {
        var result = new JsonObject();
        foreach (var (name, value) in members.Where(m => !m.Key.StartsWith('$')))
        {
            result[name] = value?.DeepClone();
        }

        return result;
    }

    private static ApiStatusException Unsupported(string directive) =>
        new(StatusResponses.BadRequest($"the fake API server does not apply the strategic merge patch directive {directive}"));
}
