using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Scheduler.Core.Annotations;

namespace Scheduler.Kubernetes.Admission;

/// <summary>
/// Admission of <c>batch/v1</c> Jobs: a Job created with a <c>deadline</c> or <c>max-delay</c> is held
/// until the deferral controller releases it. A Kueue-managed Job is held by a Kueue admission gate,
/// because Kueue owns its <c>spec.suspend</c>; any other Job by <c>spec.suspend: true</c>. Both get
/// <c>carbon-aware.io/state: held</c>, which tells the controller the hold is ours to release.
/// </summary>
public sealed class JobAdmission(DeferralAdmissionPolicy policy) : IAdmissionReviewer
{
    /// <summary>The value of <c>carbon-aware.io/state</c> on a Job we hold.</summary>
    public const string HeldState = "held";

    /// <inheritdoc />
    public AdmissionDecision Review(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Kind.Is("batch", "v1", "Job") || !request.IsCreate)
        {
            return AdmissionDecision.Untouched($"not a Job CREATE ({request.Kind} {request.Operation})");
        }

        var job = ReadJob(request);
        var annotations = job.Metadata?.Annotations;
        var kueue = job.Metadata?.Labels is { } labels && labels.TryGetValue(KueueKeys.QueueNameLabel, out var queue) && !string.IsNullOrWhiteSpace(queue);

        // A Job suspended at creation is someone's own hold: releasing it would run what they stopped.
        // Kueue's Jobs are the exception, as Kueue owns their suspend and we hold them by a gate.
        var heldElsewhere = !kueue && job.Spec?.Suspend == true
            ? "spec.suspend is already true: the Job is left for whoever suspended it, and carbon-aware.io will neither hold nor release it"
            : null;
        if (policy.TryLeave(annotations, request.Namespace ?? job.Metadata?.NamespaceProperty, "Job", heldElsewhere, out var decision))
        {
            return decision;
        }

        List<KeyValuePair<string, string>> set = [new(CarbonAnnotations.State, HeldState)];
        List<JsonPatchOperation> patch = [];
        if (kueue)
        {
            var existing = annotations is not null && annotations.TryGetValue(KueueKeys.AdmissionGatedBy, out var gates) ? gates : null;
            set.Insert(0, new(KueueKeys.AdmissionGatedBy, WithGate(existing, policy.Options.KueueGate)));
        }
        else
        {
            patch.Add(JsonPatchOperation.Add("/spec/suspend", JsonValue.Create(true)));
        }

        patch.AddRange(AnnotationPatch.Set(annotations, set));
        return AdmissionDecision.Held(patch, kueue ? "held by Kueue gate" : "held by spec.suspend");
    }

    /// <summary>The comma-separated gate list <paramref name="existing"/> with <paramref name="gate"/> appended once.</summary>
    public static string WithGate(string? existing, string gate)
    {
        var gates = (existing ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        if (!gates.Contains(gate, StringComparer.Ordinal))
        {
            gates.Add(gate);
        }

        return string.Join(',', gates);
    }

    private static V1Job ReadJob(AdmissionRequest request)
    {
        if (request.ObjectJson is null)
        {
            throw new AdmissionReviewException("request.object is missing; a Job CREATE carries the Job being created.");
        }

        try
        {
            return KubernetesJson.Deserialize<V1Job>(request.ObjectJson);
        }
        // KubernetesClient's quantity converter throws ArgumentException on a malformed quantity, e.g. "8Gix".
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new AdmissionReviewException($"request.object is not a readable batch/v1 Job: {e.Message}", e);
        }
    }
}
