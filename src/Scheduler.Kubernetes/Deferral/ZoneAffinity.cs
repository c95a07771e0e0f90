using k8s.Models;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Keeps a released Job or Pod in its planned grid zone with a required node affinity: on the explicit
/// grid-zone label when every node of the zone has it, else on the cloud region when no node of
/// another zone shares those regions, else on the zone's node names.
/// </summary>
public static class ZoneAffinity
{
    private const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>The requirement that selects the nodes of <paramref name="zone"/>, or <c>null</c> when no known node is in it.</summary>
    public static V1NodeSelectorRequirement? RequirementFor(string zone, IEnumerable<(NodeFacts Facts, NodeDescription Description)> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var all = nodes.ToList();
        var inZone = all.Where(n => n.Description.Zone == zone).Select(n => n.Facts).ToList();
        if (inZone.Count == 0)
        {
            return null;
        }

        if (inZone.All(n => n.Labels.GetValueOrDefault(NodeLabels.GridZone) == zone))
        {
            return Requirement(NodeLabels.GridZone, [zone]);
        }

        var regions = inZone.Select(n => n.Labels.GetValueOrDefault(NodeLabels.Region)).ToList();
        if (regions.All(r => r is not null))
        {
            var distinct = regions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var shared = all.Any(n => n.Description.Zone != zone && n.Facts.Labels.TryGetValue(NodeLabels.Region, out var region) && distinct.Contains(region!));
            if (!shared)
            {
                return Requirement(NodeLabels.Region, distinct!);
            }
        }

        return Requirement(HostnameLabel, [.. inZone.Select(n => n.Name).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The Job's required node selector terms with <paramref name="requirement"/> added to each (terms
    /// are ORed and a term's expressions ANDed, so every way the Job could run stays in the zone).
    /// </summary>
    public static List<V1NodeSelectorTerm> Constrain(V1Job job, V1NodeSelectorRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(requirement);
        var existing = job.Spec?.Template?.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (existing is not { Count: > 0 })
        {
            return [new V1NodeSelectorTerm { MatchExpressions = [requirement] }];
        }

        return [.. existing.Select(term => new V1NodeSelectorTerm
        {
            MatchExpressions = [.. (term.MatchExpressions ?? []).Where(e => e.Key != requirement.Key), requirement],
            MatchFields = term.MatchFields,
        })];
    }

    /// <summary>
    /// The required node selector terms <paramref name="existing"/> narrowed to <paramref name="requirement"/>, for a
    /// gated Pod: the API server lets a gated Pod's required node affinity change only by additions (the same terms,
    /// each keeping its expressions), so the requirement is appended to every term (ANDed with any expression on the
    /// same key), or is the one term of a Pod without required node affinity.
    /// </summary>
    public static List<V1NodeSelectorTerm> Narrow(IList<V1NodeSelectorTerm>? existing, V1NodeSelectorRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        if (existing is not { Count: > 0 })
        {
            return [new V1NodeSelectorTerm { MatchExpressions = [requirement] }];
        }

        return [.. existing.Select(term => new V1NodeSelectorTerm
        {
            MatchExpressions = [.. term.MatchExpressions ?? [], requirement],
            MatchFields = term.MatchFields,
        })];
    }

    private static V1NodeSelectorRequirement Requirement(string key, IList<string> values) => new() { Key = key, OperatorProperty = "In", Values = values };
}
