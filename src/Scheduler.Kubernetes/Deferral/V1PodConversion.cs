using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>Reads the parts of a bare <see cref="V1Pod"/> the deferral decision needs.</summary>
public static class V1PodConversion
{
    /// <summary>The Pod's key.</summary>
    public static JobKey KeyOf(this V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new JobKey(pod.Metadata?.NamespaceProperty ?? "default", pod.Metadata?.Name ?? string.Empty, WorkloadKind.Pod);
    }

    /// <summary>Whether <c>spec.schedulingGates</c> holds our gate, <see cref="PodAdmission.SchedulingGate"/>.</summary>
    public static bool HasOurGate(this V1Pod pod) =>
        pod?.Spec?.SchedulingGates?.Any(g => string.Equals(g.Name, PodAdmission.SchedulingGate, StringComparison.Ordinal)) == true;

    /// <summary>
    /// Whether the controller acts on the Pod: a bare Pod (no controller owner; the owner of any other is what is
    /// held) that carries our gate or our state annotation, or, in dry run, one the webhook would have held
    /// (a deadline or max-delay, and no <c>spec.nodeName</c>).
    /// </summary>
    public static bool IsDeferred(this V1Pod pod, DeferralOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        if (pod.Metadata?.OwnerReferences?.Any(owner => owner.Controller == true) == true)
        {
            return false;
        }

        var annotations = pod.Metadata?.Annotations;
        if (pod.HasOurGate() || annotations?.ContainsKey(CarbonAnnotations.State) == true)
        {
            return true;
        }

        return IsDryRunCandidate(pod, options)
            && annotations is not null
            && (annotations.ContainsKey(CarbonAnnotations.Deadline) || annotations.ContainsKey(CarbonAnnotations.MaxDelay));
    }

    /// <summary>
    /// The Pod as the decision sees it. A Pod cannot be suspended once it runs, so its <c>interruptible</c>
    /// annotation is left out (it is planned as one run, never paused). Our gate is our hold: a gated Pod without
    /// a state (the gate set by hand) is seen as held, so that it is planned and released rather than left gated.
    /// </summary>
    /// <param name="pod">The Pod.</param>
    /// <param name="options">The deferral settings (for dry run).</param>
    public static JobView ToView(this V1Pod pod, DeferralOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var annotations = pod.Metadata?.Annotations is { } map ? new Dictionary<string, string>(map, StringComparer.Ordinal) : [];
        annotations.Remove(CarbonAnnotations.Interruptible);
        var gated = pod.HasOurGate();
        if (gated && !annotations.ContainsKey(CarbonAnnotations.State))
        {
            annotations[CarbonAnnotations.State] = DeferralState.Held.ToString().ToLowerInvariant();
        }

        var finished = pod.Status?.Phase is "Succeeded" or "Failed";
        var created = pod.Metadata?.CreationTimestamp is { } timestamp ? new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        return new JobView(created, annotations, gated, finished, IsDryRunCandidate(pod, options));
    }

    /// <summary>What the Pod needs of a node, and the zones its annotation allows.</summary>
    public static PlacementNeeds ToNeeds(this V1Pod pod, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return NeedsOf(pod.Spec, gpuResources, allowedZones);
    }

    /// <summary>What a pod of <paramref name="spec"/> needs of a node: its node selector, required node affinity and GPUs.</summary>
    public static PlacementNeeds NeedsOf(V1PodSpec? spec, IReadOnlyList<string> gpuResources, IReadOnlyList<string> allowedZones)
    {
        ArgumentNullException.ThrowIfNull(gpuResources);
        var selector = spec?.NodeSelector is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : [];
        var terms = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms?
            .Select(term => (IReadOnlyList<NodeRequirement>)[.. (term.MatchExpressions ?? []).Select(e => new NodeRequirement(e.Key, e.OperatorProperty, [.. e.Values ?? []]))])
            .ToList() ?? [];
        var gpus = 0.0;
        foreach (var container in spec?.Containers ?? [])
        {
            foreach (var resource in gpuResources)
            {
                gpus += Quantity(container.Resources?.Requests, resource) ?? Quantity(container.Resources?.Limits, resource) ?? 0;
            }
        }

        return new PlacementNeeds(selector, terms, gpus, allowedZones);
    }

    // In dry run the webhook holds nothing; the Pods it would have held are those that do not name their node.
    private static bool IsDryRunCandidate(V1Pod pod, DeferralOptions options) =>
        options.IsDryRun(pod.Metadata?.NamespaceProperty) && string.IsNullOrEmpty(pod.Spec?.NodeName);

    private static double? Quantity(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var quantity) && Scheduler.Core.Quantities.ResourceQuantity.TryParse(quantity.ToString(), out var value) ? value : null;
}
