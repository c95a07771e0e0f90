using Scheduler.Signals.Intensity;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Intensity;

public class IntensityCsvTests
{
    [Fact]
    public void Read_Real2025File_ReadsEveryRow()
    {
        using var reader = File.OpenText(RepositoryPaths.SharedData("carbon-2025", "ger_2025_ci.csv"));
        var rows = IntensityCsv.Read(reader);

        Assert.Equal(17_808, rows.Count);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0), rows[0].Time);
        Assert.False(rows[0].HasOffset);
        Assert.Equal(179.5103010803795, rows[0].GramsPerKwh, 9);
        Assert.Equal(new DateTime(2026, 1, 6, 23, 30, 0), rows[^1].Time);
    }

    [Fact]
    public void Read_TimestampsWithOffsets_AreUtc()
    {
        var rows = IntensityCsv.Read(new StringReader("datetime,carbon_intensity\n2025-03-01T10:00:00+01:00,120\n2025-03-01T09:30:00Z,130\n"));
        Assert.All(rows, r => Assert.True(r.HasOffset));
        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0), rows[0].Time);
        Assert.Equal(new DateTime(2025, 3, 1, 9, 30, 0), rows[1].Time);
    }

    [Fact]
    public void Read_WithoutHeader_ReadsFirstRow()
    {
        var rows = IntensityCsv.Read(new StringReader("2025-03-01 10:00,120\n"));
        Assert.Single(rows);
    }

    [Theory]
    [InlineData("Time,CI\n2025-01-01 00:00:00,abc\n", ":2:")]
    [InlineData("Time,CI\n2025-01-01 00:00:00,-3\n", ":2:")]
    [InlineData("Time,CI\n2025-01-01 00:00:00,1\nyesterday,5\n", ":3:")]
    [InlineData("Time,CI\n2025-01-01 00:00:00;5\n", ":2:")]
    public void Read_BadRow_NamesTheLine(string csv, string where)
    {
        var e = Assert.Throws<FormatException>(() => IntensityCsv.Read(new StringReader(csv), "data.csv"));
        Assert.Contains("data.csv" + where, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UtcIn_WallClockTime_UsesTheZonesOffsetIncludingSummerTime()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var winter = new IntensityRow(new DateTime(2025, 1, 15, 12, 0, 0), false, 1);
        var summer = new IntensityRow(new DateTime(2025, 7, 15, 12, 0, 0), false, 1);
        var gap = new IntensityRow(new DateTime(2025, 3, 30, 2, 30, 0), false, 1);

        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 0, 0, TimeSpan.Zero), winter.UtcIn(berlin));
        Assert.Equal(new DateTimeOffset(2025, 7, 15, 10, 0, 0, TimeSpan.Zero), summer.UtcIn(berlin));
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 30, 0, TimeSpan.Zero), gap.UtcIn(berlin));
    }
}
