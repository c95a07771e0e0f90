using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Scheduler.Core.Annotations;

namespace Scheduler.Kubernetes.Admission;

/// <summary>
/// Admission of bare Pods (no controller owner): one created with a <c>deadline</c> or
/// <c>max-delay</c> gets the scheduling gate <see cref="SchedulingGate"/>, so the scheduler leaves it
/// pending until the controller removes the gate (with <see cref="Deferral.DeferralOptions.Pods"/>, the
/// default). Pods of Jobs and other controllers are left alone: their owner is what is held.
/// </summary>
public sealed class PodAdmission(DeferralAdmissionPolicy policy) : IAdmissionReviewer
{
    /// <summary>The scheduling gate of a held Pod.</summary>
    public const string SchedulingGate = "carbon-aware.io/deferral";

    /// <inheritdoc />
    public AdmissionDecision Review(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Kind.Is(string.Empty, "v1", "Pod") || !request.IsCreate)
        {
            return AdmissionDecision.Untouched($"not a Pod CREATE ({request.Kind} {request.Operation})");
        }

        var pod = ReadPod(request);
        if (pod.Metadata?.OwnerReferences?.Any(owner => owner.Controller == true) == true)
        {
            return AdmissionDecision.Untouched("the Pod has a controller");
        }

        // The API server refuses scheduling gates on a Pod that names its node: it is not scheduled.
        // Without the controller's Pod watch (Deferral:Pods false), nothing would ever lift the gate.
        var heldElsewhere = !string.IsNullOrEmpty(pod.Spec?.NodeName)
            ? "spec.nodeName is set: the Pod bypasses the scheduler, so it cannot be held by a scheduling gate and runs now"
            : policy.Options.Pods ? null : "bare Pods are not held on this cluster (Deferral:Pods is false), so the Pod runs now";
        var annotations = pod.Metadata?.Annotations;
        if (policy.TryLeave(annotations, request.Namespace ?? pod.Metadata?.NamespaceProperty, "Pod", heldElsewhere, out var decision))
        {
            return decision;
        }

        List<JsonPatchOperation> patch = [];
        var gates = pod.Spec?.SchedulingGates;
        if (gates is null || gates.Count == 0)
        {
            patch.Add(JsonPatchOperation.Add("/spec/schedulingGates", new JsonArray(Gate())));
        }
        else if (!gates.Any(gate => string.Equals(gate.Name, SchedulingGate, StringComparison.Ordinal)))
        {
            // "-" appends, keeping the gates others put there; gate names must be unique.
            patch.Add(JsonPatchOperation.Add("/spec/schedulingGates/-", Gate()));
        }

        patch.AddRange(AnnotationPatch.Set(annotations, [new(CarbonAnnotations.State, JobAdmission.HeldState)]));
        return AdmissionDecision.Held(patch, "held by scheduling gate");
    }

    private static JsonObject Gate() => new() { ["name"] = SchedulingGate };

    private static V1Pod ReadPod(AdmissionRequest request)
    {
        if (request.ObjectJson is null)
        {
            throw new AdmissionReviewException("request.object is missing; a Pod CREATE carries the Pod being created.");
        }

        try
        {
            return KubernetesJson.Deserialize<V1Pod>(request.ObjectJson);
        }
        // KubernetesClient's quantity converter throws ArgumentException on a malformed quantity, e.g. "8Gix".
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new AdmissionReviewException($"request.object is not a readable v1 Pod: {e.Message}", e);
        }
    }
}
