using Scheduler.Core.Deferral;

namespace Scheduler.Core.Tests.Deferral;

public class CandidateZonesTests
{
    private static readonly Dictionary<string, string> None = [];

    private static readonly (IReadOnlyDictionary<string, string> Labels, double Gpus, string? Zone)[] Nodes =
    [
        (Labels(("pool", "cpu")), 0, "DE"),
        (Labels(("pool", "cpu")), 0, "DE"),
        (Labels(("pool", "gpu"), ("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")), 8, "FR"),
        (Labels(("pool", "gpu"), ("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")), 8, "DE"),
        (Labels(("pool", "gpu"), ("nvidia.com/gpu.product", "NVIDIA-L4")), 1, "GB"),
        (Labels(("pool", "cpu")), 0, null),
    ];

    [Fact]
    public void Of_AnyNode_ZoneWithMostNodesFirst()
    {
        var zones = CandidateZones.Of(new PlacementNeeds(None, [], 0, []), Nodes);

        Assert.Equal(["DE", "FR", "GB"], zones);
    }

    [Fact]
    public void Counted_AnyNode_GivesEachZoneItsNodesInTheOrderOfOf()
    {
        var counted = CandidateZones.Counted(new PlacementNeeds(None, [], 0, []), Nodes);

        Assert.Equal([("DE", 3), ("FR", 1), ("GB", 1)], counted);
    }

    [Fact]
    public void Counted_GpuCount_CountsOnlyNodesWithEnough()
    {
        var counted = CandidateZones.Counted(new PlacementNeeds(None, [], 4, []), Nodes);

        Assert.Equal([("DE", 1), ("FR", 1)], counted);
    }

    [Fact]
    public void Of_GpuCount_LeavesOutNodesWithTooFew()
    {
        var zones = CandidateZones.Of(new PlacementNeeds(None, [], 4, []), Nodes);

        Assert.Equal(["DE", "FR"], zones);
    }

    [Fact]
    public void Of_GpuProductByAffinity_KeepsOnlyThoseNodesZones()
    {
        var a100 = new NodeRequirement("nvidia.com/gpu.product", "In", ["NVIDIA-A100-SXM4-80GB", "NVIDIA-L4"]);

        var zones = CandidateZones.Of(new PlacementNeeds(None, [[a100]], 1, []), Nodes);

        Assert.Equal(["FR", "GB"], zones);
    }

    [Fact]
    public void Of_NodeSelectorAndAllowedZones_BothApply()
    {
        var zones = CandidateZones.Of(new PlacementNeeds(Labels(("pool", "gpu")), [], 1, ["GB", "FR"]), Nodes);

        Assert.Equal(["FR", "GB"], zones);
    }

    [Theory]
    [InlineData("In", new[] { "a", "b" }, "b", true)]
    [InlineData("In", new[] { "a" }, null, false)]
    [InlineData("NotIn", new[] { "a" }, "b", true)]
    [InlineData("NotIn", new[] { "a" }, null, true)]
    [InlineData("Exists", new string[0], "x", true)]
    [InlineData("DoesNotExist", new string[0], "x", false)]
    [InlineData("Gt", new[] { "4" }, "8", true)]
    [InlineData("Lt", new[] { "4" }, "8", false)]
    [InlineData("Gt", new[] { "4" }, "many", false)]
    [InlineData("Near", new[] { "a" }, "a", false)]
    public void NodeRequirement_Operators_MatchAsKubernetesDoes(string op, string[] values, string? label, bool expected)
    {
        var labels = label is null ? None : Labels(("k", label));

        Assert.Equal(expected, new NodeRequirement("k", op, values).Matches(labels));
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);
}
