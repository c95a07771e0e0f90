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

            Assert.Equal(["zone", "start", "end", "meanIntensity", "intensityIfNow", "savedPercent"], result.Select(p => p.Key));
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
}
