using System.Text.Json.Nodes;
using static Scheduler.Kubernetes.Tests.Fakes.JsonObjects;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The API server's update rules for <c>v1</c> Pods (<c>pkg/registry/core/pod/strategy.go</c> and
/// <c>ValidatePodUpdate</c> in <c>pkg/apis/core/validation</c>), as far as a controller that gates Pods can
/// tell them apart. Pods are added by tests as given, so there are no create rules or defaults.
/// <list type="bullet">
/// <item>the status cannot be changed by an update (it has its own subresource);</item>
/// <item><c>spec.schedulingGates</c> may only lose gates: a new one is <c>Forbidden</c>
/// (<c>only deletion is allowed, but found new scheduling gate 'x'</c>);</item>
/// <item>while the old Pod is gated, its scheduling directives may only narrow (KEP-3838): entries may be added
/// to <c>spec.nodeSelector</c> but not changed or removed, and a required node affinity may be set when there was
/// none, or else keep its terms, each with all its old expressions and fields (more may be added);
/// <c>preferredDuringSchedulingIgnoredDuringExecution</c> may change freely;</item>
/// <item>otherwise only container and init container images, <c>activeDeadlineSeconds</c>,
/// <c>terminationGracePeriodSeconds</c> and <c>tolerations</c> (additions only) may change; anything else is the
/// <c>Forbidden</c> <c>pod updates may not change fields other than ...</c> on <c>spec</c> (without the diff the
/// API server appends, and without its finer rules for the deadline and the grace period).</item>
/// </list>
/// </summary>
internal sealed class PodStrategy : ResourceStrategy
{
    /// <summary>The strategy of Pods.</summary>
    public static readonly PodStrategy Instance = new();

    /// <summary>The message of a forbidden spec change, as the API server starts it.</summary>
    public const string SpecForbidden =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private const string RequiredTermsPath = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";

    /// <inheritdoc />
    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => CopyProperty(old, updated, "status");

    /// <inheritdoc />
    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old, ResourceType requestedAs)
    {
        var spec = At(updated, "spec") is JsonObject newSpec ? Copy(newSpec) : [];
        var allowed = At(old, "spec") is JsonObject oldSpec ? Copy(oldSpec) : [];
        var errors = new List<FieldError>(OnlyDeletedGates(spec, allowed));
        CopyProperty(spec, allowed, "schedulingGates");

        if (At(old, "spec", "schedulingGates") is JsonArray { Count: > 0 })
        {
            // A gated Pod is not scheduled yet: its scheduling directives may narrow (an empty affinity left
            // behind by the copy is pruned below, as Go leaves it out).
            var before = At(old, "spec") as JsonObject ?? [];
            errors.AddRange(OnlyAddedNodeSelector(spec, before));
            errors.AddRange(OnlyNarrowedNodeAffinity(spec, before));
            CopyProperty(spec, allowed, "nodeSelector");
            CopyProperty(ObjectAt(spec, "affinity"), ObjectAt(allowed, "affinity"), "nodeAffinity");
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is JsonArray containers && allowed[list] is JsonArray oldContainers && containers.Count == oldContainers.Count)
            {
                for (var i = 0; i < containers.Count; i++)
                {
                    if (containers[i] is JsonObject container && oldContainers[i] is JsonObject oldContainer)
                    {
                        CopyProperty(container, oldContainer, "image");
                    }
                }
            }
        }

        CopyProperty(spec, allowed, "activeDeadlineSeconds");
        CopyProperty(spec, allowed, "terminationGracePeriodSeconds");
        var oldTolerations = allowed["tolerations"] as JsonArray ?? [];
        var newTolerations = spec["tolerations"] as JsonArray ?? [];
        if (oldTolerations.All(t => newTolerations.Any(n => JsonNode.DeepEquals(n, t))))
        {
            CopyProperty(spec, allowed, "tolerations");
        }

        if (errors.Count == 0 && !JsonNode.DeepEquals(PruneEmpty(spec), PruneEmpty(allowed)))
        {
            errors.Add(FieldError.Forbidden("spec", SpecForbidden));
        }

        return errors;
    }

    private static IEnumerable<FieldError> OnlyDeletedGates(JsonObject spec, JsonObject old)
    {
        var oldNames = (old["schedulingGates"] as JsonArray ?? []).Select(g => StringAt(g as JsonObject ?? [], "name")).ToHashSet();
        var gates = spec["schedulingGates"] as JsonArray ?? [];
        for (var i = 0; i < gates.Count; i++)
        {
            var name = StringAt(gates[i] as JsonObject ?? [], "name") ?? string.Empty;
            if (!oldNames.Contains(name))
            {
                yield return FieldError.Forbidden($"spec.schedulingGates[{i}].name", $"only deletion is allowed, but found new scheduling gate '{name}'");
            }
        }
    }

    private static IEnumerable<FieldError> OnlyAddedNodeSelector(JsonObject spec, JsonObject old)
    {
        var selector = spec["nodeSelector"] as JsonObject ?? [];
        foreach (var (key, value) in old["nodeSelector"] as JsonObject ?? [])
        {
            if (!JsonNode.DeepEquals(selector[key], value))
            {
                yield return FieldError.Invalid("spec.nodeSelector", Serialize(selector), "only additions to spec.nodeSelector are allowed (no mutations or deletions)");
                yield break;
            }
        }
    }

    private static IEnumerable<FieldError> OnlyNarrowedNodeAffinity(JsonObject spec, JsonObject old)
    {
        var oldTerms = At(old, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms") as JsonArray ?? [];
        if (oldTerms.Count == 0)
        {
            yield break;
        }

        var terms = At(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms") as JsonArray ?? [];
        if (terms.Count != oldTerms.Count)
        {
            yield return FieldError.Invalid(RequiredTermsPath, Serialize(terms), "no additions/deletions to non-empty NodeSelectorTerms list are allowed");
            yield break;
        }

        for (var i = 0; i < oldTerms.Count; i++)
        {
            var term = terms[i] as JsonObject ?? [];
            var oldTerm = oldTerms[i] as JsonObject ?? [];
            if (!Contains(term, oldTerm, "matchExpressions") || !Contains(term, oldTerm, "matchFields"))
            {
                yield return FieldError.Invalid($"{RequiredTermsPath}[{i}]", Serialize(term), "only additions are allowed (no mutations or deletions)");
            }
        }
    }

    // Whether every requirement of the old term's list is still in the new term's.
    private static bool Contains(JsonObject term, JsonObject oldTerm, string list)
    {
        var requirements = term[list] as JsonArray ?? [];
        return (oldTerm[list] as JsonArray ?? []).All(old => requirements.Any(r => JsonNode.DeepEquals(r, old)));
    }
}
