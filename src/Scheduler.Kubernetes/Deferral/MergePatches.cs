using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// The parts the JSON merge patches (RFC 7386) of <see cref="JobPatch"/> and <see cref="PodPatch"/> share: the
/// annotations, the resourceVersion the decision was made on (a precondition: a changed object is refused with
/// 409 Conflict), and a required node affinity.
/// </summary>
internal static class MergePatches
{
    /// <summary>The patch root: <c>metadata.annotations</c> and, when known, <c>metadata.resourceVersion</c>.</summary>
    public static JsonObject Root(V1ObjectMeta? metadata, JsonObject annotations)
    {
        var meta = new JsonObject { ["annotations"] = annotations };
        if (metadata?.ResourceVersion is { Length: > 0 } version)
        {
            meta["resourceVersion"] = version;
        }

        return new JsonObject { ["metadata"] = meta };
    }

    /// <summary>The annotations to set (a <c>null</c> value removes one).</summary>
    public static JsonObject Annotations(IReadOnlyDictionary<string, string?> values)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in values)
        {
            annotations[key] = value;
        }

        return annotations;
    }

    /// <summary><c>affinity</c> with <paramref name="terms"/> as the required node selector terms; a merge patch keeps the rest of the affinity.</summary>
    public static JsonObject RequiredNodeAffinity(IReadOnlyList<V1NodeSelectorTerm> terms) => new()
    {
        ["nodeAffinity"] = new JsonObject
        {
            ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject { ["nodeSelectorTerms"] = JsonNode.Parse(KubernetesJson.Serialize(terms)) },
        },
    };

    /// <summary>The patch as sent.</summary>
    public static V1Patch Serialize(JsonObject root) => new(root.ToJsonString(), V1Patch.PatchType.MergePatch);
}
