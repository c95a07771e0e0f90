using Scheduler.Cli;
using Scheduler.Cli.Simulation;

namespace Scheduler.Cli.Tests.Simulation;

public class ZoneFileTests
{
    [Theory]
    [InlineData("DE=../data/ger_2025_ci.csv", "DE", "../data/ger_2025_ci.csv")]
    [InlineData("../data/ger_2025_ci.csv", "ger_2025_ci", "../data/ger_2025_ci.csv")]
    [InlineData("./a=b/FR.csv", "FR", "./a=b/FR.csv")]
    public void Parse_ZoneBeforeEqualsElseTheFileName(string text, string zone, string path) =>
        Assert.Equal(new ZoneFile(zone, path), ZoneFile.Parse("carbon", text));

    [Fact]
    public void ParseAll_SameZoneTwice_IsAnError()
    {
        var e = Assert.Throws<UsageException>(() => ZoneFile.ParseAll("carbon", ["DE=a.csv", "x/DE.csv"]));

        Assert.Equal("--carbon: zone DE is given twice (a.csv and x/DE.csv); name the zones with ZONE=FILE", e.Message);
    }
}
