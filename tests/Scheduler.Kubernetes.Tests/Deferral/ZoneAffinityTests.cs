using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class ZoneAffinityTests
{
    [Fact]
    public void RequirementFor_EveryNodeLabelledWithItsGridZone_UsesTheLabel()
    {
        var nodes = new[] { Node("a", "FR", ("carbon-aware.io/grid-zone", "FR")), Node("b", "DE", ("carbon-aware.io/grid-zone", "DE")) };

        var requirement = ZoneAffinity.RequirementFor("FR", nodes)!;

        Assert.Equal(("carbon-aware.io/grid-zone", "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["FR"], requirement.Values);
    }

    [Fact]
    public void RequirementFor_ZoneFromRegions_UsesTheRegionsNoOtherZoneShares()
    {
        var nodes = new[]
        {
            Node("a", "FR", ("topology.kubernetes.io/region", "eu-west-3")),
            Node("b", "FR", ("topology.kubernetes.io/region", "francecentral")),
            Node("c", "DE", ("topology.kubernetes.io/region", "eu-central-1")),
        };

        var requirement = ZoneAffinity.RequirementFor("FR", nodes)!;

        Assert.Equal("topology.kubernetes.io/region", requirement.Key);
        Assert.Equal(["eu-west-3", "francecentral"], requirement.Values);
    }

    [Fact]
    public void RequirementFor_RegionSharedWithAnotherZone_FallsBackToNodeNames()
    {
        var nodes = new[]
        {
            Node("b", "FR", ("topology.kubernetes.io/region", "mixed")),
            Node("a", "FR", ("topology.kubernetes.io/region", "mixed")),
            Node("c", "DE", ("topology.kubernetes.io/region", "mixed"), ("carbon-aware.io/grid-zone", "DE")),
        };

        var requirement = ZoneAffinity.RequirementFor("FR", nodes)!;

        Assert.Equal("kubernetes.io/hostname", requirement.Key);
        Assert.Equal(["a", "b"], requirement.Values);
    }

    [Fact]
    public void RequirementFor_NoNodeInTheZone_IsNull()
    {
        Assert.Null(ZoneAffinity.RequirementFor("GB", [Node("a", "FR")]));
    }

    [Fact]
    public void Narrow_NoTerms_IsTheZoneAlone()
    {
        var requirement = new k8s.Models.V1NodeSelectorRequirement { Key = NodeLabels.GridZone, OperatorProperty = "In", Values = ["FR"] };

        var term = Assert.Single(ZoneAffinity.Narrow(null, requirement));

        Assert.Same(requirement, Assert.Single(term.MatchExpressions));
    }

    [Fact]
    public void Narrow_TermOnTheSameKey_KeepsItAndAddsTheZone()
    {
        // A gated Pod's terms may only grow: the wider requirement stays, ANDed with the zone.
        var wide = new k8s.Models.V1NodeSelectorRequirement { Key = NodeLabels.GridZone, OperatorProperty = "In", Values = ["DE", "FR"] };
        var zone = new k8s.Models.V1NodeSelectorRequirement { Key = NodeLabels.GridZone, OperatorProperty = "In", Values = ["FR"] };
        var fields = new k8s.Models.V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["fr-1"] };

        var term = Assert.Single(ZoneAffinity.Narrow([new k8s.Models.V1NodeSelectorTerm { MatchExpressions = [wide], MatchFields = [fields] }], zone));

        Assert.Equal([wide, zone], term.MatchExpressions);
        Assert.Equal([fields], term.MatchFields);
    }

    private static (NodeFacts Facts, NodeDescription Description) Node(string name, string zone, params (string Key, string Value)[] labels) =>
        (new NodeFacts(name, labels.ToDictionary(l => l.Key, l => l.Value), new Dictionary<string, string>()),
         new NodeDescription(name, zone, new NodePowerProfile(8, 10, 80, null, PowerSource.Default, "default")));
}
