using System.Text.Json;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Profiles;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Profiles;

public class CarbonProfileBuilderTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Fact]
    public void Build_ReadingsInOneCell_AreAveraged()
    {
        // 2025-06-02 and 2025-06-09 are Mondays.
        IntensityRow[] rows =
        [
            new(new DateTime(2025, 6, 2, 10, 0, 0), false, 100),
            new(new DateTime(2025, 6, 9, 10, 15, 0), false, 200),
            new(new DateTime(2025, 6, 2, 10, 30, 0), false, 400),
        ];

        var profile = CarbonProfileBuilder.Build("XX", Utc, rows, "test", "average");

        Assert.Equal(150, profile.Means[5][(int)DayOfWeek.Monday][20]);
        Assert.Equal(400, profile.Means[5][(int)DayOfWeek.Monday][21]);
        Assert.Equal(3, profile.Provenance.Rows);
        Assert.Empty(profile.Validate());
    }

    [Fact]
    public void Build_EmptyCells_FallBackToMonthThenYearMeanForTheSlot()
    {
        IntensityRow[] rows =
        [
            new(new DateTime(2025, 6, 2, 10, 0, 0), false, 100), // June, Monday, slot 20
            new(new DateTime(2025, 6, 3, 10, 0, 0), false, 300), // June, Tuesday, slot 20
            new(new DateTime(2025, 1, 6, 0, 0, 0), false, 50),   // January, slot 0
        ];

        var profile = CarbonProfileBuilder.Build("XX", Utc, rows, "test", "average");

        Assert.Equal(200, profile.Means[5][(int)DayOfWeek.Sunday][20]); // June mean of slot 20
        Assert.Equal(200, profile.Means[0][(int)DayOfWeek.Friday][20]); // no January data for slot 20: all months
        Assert.Equal(50, profile.Means[8][(int)DayOfWeek.Friday][0]);
    }

    [Fact]
    public void Build_RowsWithOffsets_AreBucketedInTheZonesLocalTime()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 10:00 UTC on a summer Monday is 12:00 in Berlin: slot 24.
        IntensityRow[] rows = [new(new DateTime(2025, 6, 2, 10, 0, 0), true, 77)];
        var profile = CarbonProfileBuilder.Build("DE", berlin, rows, "test", "average");

        Assert.Equal(77, profile.Means[5][(int)DayOfWeek.Monday][24]);
        Assert.Equal("Europe/Berlin", profile.TimeZone);
    }

    [Theory]
    [InlineData("ger_2025_ci.csv", "DE", "Europe/Berlin")]
    [InlineData("gb_2025_ci.csv", "GB", "Europe/London")]
    [InlineData("fr_2025_ci.csv", "FR", "Europe/Paris")]
    [InlineData("cal_2025_ci.csv", "US-CAL-CISO", "America/Los_Angeles")]
    public void Build_RealData_MatchesTheCommittedProfile(string file, string zone, string timeZone)
    {
        // The shipped profile must be exactly what the profile command derives from the data.
        using var reader = File.OpenText(RepositoryPaths.SharedData("carbon-2025", file));
        var derived = CarbonProfileBuilder.Build(zone, TimeZoneInfo.FindSystemTimeZoneById(timeZone), IntensityCsv.Read(reader), "x", "x");
        var committed = JsonSerializer.Deserialize<CarbonProfile>(File.ReadAllText(RepositoryPaths.InRepository("models", "carbon-profiles", zone + ".json")))!;

        Assert.Equal(derived.Means, committed.Means);
        Assert.Equal(timeZone, committed.TimeZone);
        Assert.Equal(17_808, committed.Provenance.Rows);
        Assert.Contains(file, committed.Provenance.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoRows_Throws() =>
        Assert.Throws<ArgumentException>(() => CarbonProfileBuilder.Build("XX", Utc, [], "test", "average"));
}
