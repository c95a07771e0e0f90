using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Nodes;

public class GridZoneResolverTests
{
    private readonly GridZoneResolver _zones = TestNodes.Zones;

    [Fact]
    public void ZoneOf_ExplicitLabel_WinsOverTheRegion()
    {
        var labels = Labels((NodeLabels.GridZone, "SE-SE3"), (NodeLabels.Region, "eu-central-1"), (NodeLabels.LegacyRegion, "eu-central-1"));

        Assert.Equal("SE-SE3", _zones.ZoneOf(labels));
    }

    [Fact]
    public void ZoneOf_ExplicitLabelWithSpaces_IsTrimmed()
    {
        Assert.Equal("FR", _zones.ZoneOf(Labels((NodeLabels.GridZone, " FR "))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ZoneOf_BlankExplicitLabel_FallsBackToTheRegion(string blank)
    {
        Assert.Equal("DE", _zones.ZoneOf(Labels((NodeLabels.GridZone, blank), (NodeLabels.Region, "eu-central-1"))));
    }

    // Zones as in models/cloud-regions.json.
    [Theory]
    [InlineData("eu-central-1", "DE")]
    [InlineData("us-west-2", "US-NW-BPAT")]
    [InlineData("westeurope", "NL")]
    [InlineData("swedencentral", "SE-SE3")]
    [InlineData("us-central1", "US-MIDW-MISO")]
    [InlineData("europe-west4", "NL")]
    public void ZoneOf_CloudRegion_IsTheRegionsGridZone(string region, string zone)
    {
        Assert.Equal(zone, _zones.ZoneOf(Labels((NodeLabels.Region, region))));
    }

    [Fact]
    public void ZoneOf_LegacyRegionLabel_IsUsedWhenTheCurrentOneIsMissing()
    {
        Assert.Equal("IE", _zones.ZoneOf(Labels((NodeLabels.LegacyRegion, "eu-west-1"))));
    }

    [Fact]
    public void ZoneOf_BothRegionLabels_TheCurrentOneWins()
    {
        Assert.Equal("FR", _zones.ZoneOf(Labels((NodeLabels.Region, "eu-west-3"), (NodeLabels.LegacyRegion, "eu-central-1"))));
    }

    [Fact]
    public void ZoneOf_RegionWithSpaces_IsTrimmed()
    {
        Assert.Equal("DE", _zones.ZoneOf(Labels((NodeLabels.Region, "eu-central-1 "))));
    }

    [Theory]
    [InlineData("mars-north-1")]
    [InlineData("local")]
    public void ZoneOf_UnknownRegion_IsNull(string region)
    {
        Assert.Null(_zones.ZoneOf(Labels((NodeLabels.Region, region))));
    }

    [Fact]
    public void ZoneOf_NoZoneOrRegionLabel_IsNull()
    {
        Assert.Null(_zones.ZoneOf(Labels(("kubernetes.io/hostname", "rack3-node07"), ("topology.kubernetes.io/zone", "eu-central-1a"))));
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
