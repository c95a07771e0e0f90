using System.Text.Json;
using Scheduler.Cli;
using Scheduler.Cli.Commands;
using Scheduler.Signals.Profiles;
using Scheduler.Tests.Shared;

namespace Scheduler.Cli.Tests.Commands;

public class ProfileCommandTests
{
    [Fact]
    public void Run_RealData_WritesAProfileWithProvenance()
    {
        var output = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.json");
        try
        {
            var stdout = new StringWriter();
            var exit = ProfileCommand.Run(
                ["--input", RepositoryPaths.SharedData("carbon-2025", "fr_2025_ci.csv"), "--zone", "FR", "--time-zone", "Europe/Paris", "--source", "fr test", "--out", output],
                stdout);

            Assert.Equal(0, exit);
            Assert.Contains("17808 readings", stdout.ToString(), StringComparison.Ordinal);
            var profile = JsonSerializer.Deserialize<CarbonProfile>(File.ReadAllText(output))!;
            Assert.Equal("FR", profile.Zone);
            Assert.Equal("fr test", profile.Provenance.Source);
            Assert.Empty(profile.Validate());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData(new[] { "--zone", "DE", "--time-zone", "Europe/Berlin" }, "--input is required")]
    [InlineData(new[] { "--input", "x.csv", "--zone", "DE", "--time-zone", "Mars/Olympus" }, "not a known IANA time zone")]
    [InlineData(new[] { "--input", "x.csv", "--zone", "DE", "--time-zone", "UTC", "--step-minutes", "7" }, "divides a day")]
    [InlineData(new[] { "--input", "x.csv", "--colour", "red" }, "unknown option --colour")]
    [InlineData(new[] { "--input" }, "--input needs a value")]
    public void Run_BadArguments_SaysWhatToChange(string[] args, string expected)
    {
        var e = Assert.Throws<UsageException>(() => ProfileCommand.Run(args, TextWriter.Null));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
