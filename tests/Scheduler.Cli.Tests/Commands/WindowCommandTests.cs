using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Cli;
using Scheduler.Cli.Commands;

namespace Scheduler.Cli.Tests.Commands;

public class WindowCommandTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));

    private static JsonObject RunJson(params string[] args)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, WindowCommand.Run([.. args, "--format", "json"], stdout, Clock));
        return JsonNode.Parse(stdout.ToString())!.AsObject();
    }

    [Fact]
    public void Run_CarbonCsv_FindsTheCleanestWindowAndReportsTheContractFields()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"carbon-{Guid.NewGuid():N}.csv");
        File.WriteAllText(csv, "timestamp,gco2\n2026-01-01T00:00:00Z,400\n2026-01-01T01:00:00Z,100\n2026-01-01T02:00:00Z,200\n2026-01-01T03:00:00Z,400\n");
        try
        {
            var result = RunJson("--zone", "XX", "--duration", "2h", "--from", "2026-01-01T00:00:00Z", "--deadline", "4h", "--carbon", csv);

            Assert.Equal(["zone", "start", "end", "meanIntensity", "intensityIfNow", "savedPercent", "source"], result.Select(p => p.Key));
            Assert.Equal("XX", (string?)result["zone"]);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)result["start"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(150, (double)result["meanIntensity"]!);
            Assert.Equal(250, (double)result["intensityIfNow"]!);
            Assert.Equal(40, (double)result["savedPercent"]!);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void Run_BuiltInProfile_PlansFromNow()
    {
        var result = RunJson("--zone", "US-CAL-CISO", "--duration", "3h", "--deadline", "24h");

        var start = DateTimeOffset.Parse((string)result["start"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(start, Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(21));
        Assert.True((double)result["meanIntensity"]! <= (double)result["intensityIfNow"]!);
    }

    [Theory]
    [InlineData(new[] { "--zone", "XX", "--duration", "1h", "--deadline", "5h" }, "no built-in profile")]
    [InlineData(new[] { "--zone", "DE", "--duration", "6h", "--deadline", "5h" }, "cannot finish by")]
    [InlineData(new[] { "--zone", "DE", "--duration", "soon", "--deadline", "5h" }, "--duration")]
    [InlineData(new[] { "--zone", "DE", "--duration", "1h", "--deadline", "tomorrow" }, "not an ISO 8601 time")]
    [InlineData(new[] { "--zone", "DE", "--duration", "1h", "--deadline", "5h", "--format", "xml" }, "json or table")]
    public void Run_BadArguments_SaysWhatToChange(string[] args, string expected)
    {
        var e = Assert.Throws<UsageException>(() => WindowCommand.Run(args, TextWriter.Null, Clock));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ZoneWithAConfiguredSource_PlansFromThatSource()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var csv = Path.Combine(dir.FullName, "pl.csv");
            File.WriteAllText(csv, "timestamp,gco2\n2026-11-24T06:00:00Z,700\n2026-11-24T07:00:00Z,650\n2026-11-24T08:00:00Z,300\n2026-11-24T09:00:00Z,640\n");
            var config = Path.Combine(dir.FullName, "appsettings.json");
            var settings = new JsonObject { ["Carbon"] = new JsonObject { ["Zones"] = new JsonObject { ["PL"] = new JsonObject { ["Type"] = "File", ["Path"] = csv } } } };
            File.WriteAllText(config, settings.ToJsonString());

            var result = RunJson("--zone", "PL", "--duration", "1h", "--deadline", "4h", "--config", config);

            Assert.Equal("file", (string?)result["source"]);
            Assert.Equal(300, (double)result["meanIntensity"]!);
            Assert.Equal(700, (double)result["intensityIfNow"]!);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Run_InvalidConfiguration_NamesTheSetting()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var config = Path.Combine(dir.FullName, "appsettings.json");
            File.WriteAllText(config, """{"Carbon":{"Zones":{"PL":{"Type":"File"}}}}""");
            var e = Assert.Throws<UsageException>(() => WindowCommand.Run(["--zone", "PL", "--duration", "1h", "--deadline", "4h", "--config", config], TextWriter.Null, Clock));
            Assert.Contains("Carbon:Zones:PL:Path", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
