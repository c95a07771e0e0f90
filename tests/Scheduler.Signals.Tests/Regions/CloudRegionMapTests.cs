using Scheduler.Signals.Models;
using Scheduler.Signals.Regions;

namespace Scheduler.Signals.Tests.Regions;

public class CloudRegionMapTests
{
    private static readonly CloudRegionMap Map = CloudRegionMap.Load(new ModelFiles());

    [Theory]
    [InlineData("eu-central-1", "DE")]
    [InlineData("eu-west-3", "FR")]
    [InlineData("eu-west-2", "GB")]
    [InlineData("us-west-1", "US-CAL-CISO")]
    [InlineData("westeurope", "NL")]
    [InlineData("francecentral", "FR")]
    [InlineData("europe-west3", "DE")]
    [InlineData("us-central1", "US-MIDW-MISO")]
    public void ZoneOf_CloudRegion_IsItsGridZone(string region, string zone) => Assert.Equal(zone, Map.ZoneOf(region));

    [Fact]
    public void Load_Embedded_CoversTheThreeClouds() => Assert.True(Map.Count > 100);

    [Fact]
    public void ZoneOf_UnknownRegion_IsNull()
    {
        Assert.Null(Map.ZoneOf("mars-north-1"));
        Assert.Null(Map.ZoneOf(null));
    }

    [Fact]
    public void Load_RegionMappedTwiceDifferently_IsRejected()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "cloud-regions.json"), """{"regions":{"aws":{"r1":"DE"},"gcp":{"r1":"FR"}}}""");
            var e = Assert.Throws<InvalidDataException>(() => CloudRegionMap.Load(new ModelFiles(dir.FullName)));
            Assert.Contains("r1", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
