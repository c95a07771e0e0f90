using System.Text.Json.Nodes;
using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// The JSON merge patches (RFC 7386) that carry out a decision on a Job. Each names the
/// resourceVersion it was decided on, so that a Job changed meanwhile (by the user, or by another
/// replica acting on it) is refused with 409 Conflict and decided again, never acted on twice.
/// </summary>
public static class JobPatch
{
    /// <summary>Writes the record's annotations only (hold, mark released, complete).</summary>
    public static V1Patch Record(V1Job job, DeferralRecord record) => Serialize(Root(job, Annotations(record.ToAnnotations())));

    /// <summary>Writes one annotation (the invalid-annotation reason, the dry-run plan).</summary>
    public static V1Patch Annotation(V1Job job, string key, string value) => Serialize(Root(job, new JsonObject { [key] = value }));

    /// <summary>Lets the Job run: our hold lifted (<c>suspend: false</c>, or our Kueue gate removed) and, for a first release into one of several zones, the zone's node affinity.</summary>
    /// <param name="job">The Job as read.</param>
    /// <param name="record">The record of the release.</param>
    /// <param name="kueueGate">Our gate's name in Kueue's admission gates.</param>
    /// <param name="zone">The node requirement of the planned zone, or <c>null</c> to leave placement alone.</param>
    public static V1Patch Release(V1Job job, DeferralRecord record, string kueueGate, V1NodeSelectorRequirement? zone)
    {
        ArgumentNullException.ThrowIfNull(job);
        var annotations = Annotations(record.ToAnnotations());
        var root = Root(job, annotations);
        if (job.IsKueueManaged())
        {
            var gates = job.Metadata?.Annotations is { } existing && existing.TryGetValue(KueueKeys.AdmissionGatedBy, out var value) ? value : string.Empty;
            var remaining = gates
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(g => g != kueueGate)
                .ToList();
            annotations[KueueKeys.AdmissionGatedBy] = remaining.Count > 0 ? string.Join(',', remaining) : null;
            return Serialize(root);
        }

        var spec = new JsonObject { ["suspend"] = false };

        // A Job's pod template may change only while it is suspended and has never started.
        if (zone is not null && job.Status?.StartTime is null)
        {
            spec["template"] = new JsonObject
            {
                ["spec"] = new JsonObject { ["affinity"] = MergePatches.RequiredNodeAffinity(ZoneAffinity.Constrain(job, zone)) },
            };
        }

        root["spec"] = spec;
        return Serialize(root);
    }

    /// <summary>Suspends a running interruptible Job until its next stretch.</summary>
    public static V1Patch Pause(V1Job job, DeferralRecord record)
    {
        var root = Root(job, Annotations(record.ToAnnotations()));
        root["spec"] = new JsonObject { ["suspend"] = true };
        return Serialize(root);
    }

    private static JsonObject Annotations(IReadOnlyDictionary<string, string?> values) => MergePatches.Annotations(values);

    private static JsonObject Root(V1Job job, JsonObject annotations)
    {
        ArgumentNullException.ThrowIfNull(job);
        return MergePatches.Root(job.Metadata, annotations);
    }

    private static V1Patch Serialize(JsonObject root) => MergePatches.Serialize(root);
}
