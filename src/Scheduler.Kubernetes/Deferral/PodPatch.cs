using System.Text.Json.Nodes;
using k8s.Models;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// The JSON merge patches (RFC 7386) that carry out a decision on a bare Pod held by our scheduling gate. Each
/// names the resourceVersion it was decided on, so that a Pod changed meanwhile (by the user, or by another
/// replica acting on it) is refused with 409 Conflict and decided again, never released twice.
/// </summary>
public static class PodPatch
{
    /// <summary>Writes the record's annotations only (hold, mark released, complete).</summary>
    public static V1Patch Record(V1Pod pod, DeferralRecord record)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(record);
        return MergePatches.Serialize(MergePatches.Root(pod.Metadata, MergePatches.Annotations(record.ToAnnotations())));
    }

    /// <summary>Writes one annotation (the invalid-annotation reason, the dry-run plan).</summary>
    public static V1Patch Annotation(V1Pod pod, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return MergePatches.Serialize(MergePatches.Root(pod.Metadata, new JsonObject { [key] = value }));
    }

    /// <summary>
    /// Lets the Pod be scheduled: our gate removed from <c>spec.schedulingGates</c> (the others kept, in their order)
    /// and, with <paramref name="zone"/>, the planned zone added to its required node affinity. The API server lets a
    /// gated Pod's node affinity only narrow, so the zone is appended to every existing term (see <see cref="ZoneAffinity.Narrow"/>).
    /// </summary>
    /// <param name="pod">The Pod as read.</param>
    /// <param name="record">The record of the release.</param>
    /// <param name="zone">The node requirement of the planned zone, or <c>null</c> to leave placement alone.</param>
    public static V1Patch Release(V1Pod pod, DeferralRecord record, V1NodeSelectorRequirement? zone)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(record);
        var root = MergePatches.Root(pod.Metadata, MergePatches.Annotations(record.ToAnnotations()));
        var others = (pod.Spec?.SchedulingGates ?? [])
            .Where(g => !string.Equals(g.Name, PodAdmission.SchedulingGate, StringComparison.Ordinal))
            .Select(g => (JsonNode)new JsonObject { ["name"] = g.Name })
            .ToArray();

        // A merge patch replaces a list whole; null removes the field once no gate is left.
        var spec = new JsonObject { ["schedulingGates"] = others.Length > 0 ? new JsonArray(others) : null };

        // Node affinity may change only while the Pod is gated, that is in the same update that lifts our gate.
        if (zone is not null && pod.HasOurGate())
        {
            var existing = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
            spec["affinity"] = MergePatches.RequiredNodeAffinity(ZoneAffinity.Narrow(existing, zone));
        }

        root["spec"] = spec;
        return MergePatches.Serialize(root);
    }
}
