using Scheduler.Cli;
using Scheduler.Cli.Simulation;

namespace Scheduler.Cli.Tests.Simulation;

public class ForecastIssuesCsvTests
{
    [Fact]
    public void Read_RowsOfSeveralIssues_GroupsThemByRequestTimeInTimeOrder()
    {
        const string csv =
            "value,forecast_time,request_time\n" +
            "20,2025-01-01T06:00:00Z,2025-01-01T05:00:00Z\n" +
            "300,2025-01-01T01:00:00Z,2025-01-01T00:00:00Z\n" +
            "10,2025-01-01T05:00:00Z,2025-01-01T05:00:00Z\n" +
            "200,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z\n";

        var issues = ForecastIssuesCsv.Read(new StringReader(csv), "f.csv");

        Assert.Equal(2, issues.Count);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), issues[0].IssuedAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), issues[0].Forecast.Start);
        Assert.Equal([200.0, 300.0], issues[0].Forecast.Values.ToArray());
        Assert.Equal(TimeSpan.FromHours(1), issues[0].Forecast.Step);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 5, 0, 0, TimeSpan.Zero), issues[1].IssuedAt);
        Assert.Equal([10.0, 20.0], issues[1].Forecast.Values.ToArray());
    }

    [Theory]
    [InlineData("t0,2025-01-01T00:00:00Z,1\nt0,2025-01-01T01:00:00Z,1\nt0,2025-01-01T03:00:00Z,1\n", "f.csv:4: the forecast issued at 2025-01-01T00:00:00Z is not evenly spaced: 2025-01-01T01:00:00Z to 2025-01-01T03:00:00Z is 02:00:00, not 01:00:00")]
    [InlineData("t0,2025-01-01T00:00:00Z,1\nt0,2025-01-01T00:00:00Z,2\n", "f.csv:3: the forecast issued at 2025-01-01T00:00:00Z has forecast_time 2025-01-01T00:00:00Z twice (also line 2)")]
    [InlineData("t0,2025-01-01T00:00:00Z,1\n", "f.csv:2: the forecast issued at 2025-01-01T00:00:00Z has one forecast_time")]
    [InlineData("t0,2025-01-01T00:00:00Z,-4\n", "f.csv:2: column 'value': '-4' is not a non-negative gCO2eq/kWh value")]
    [InlineData("t0,soon,1\n", "f.csv:2: column 'forecast_time': 'soon' is not an ISO 8601 time")]
    public void Read_BadForecast_SaysWhere(string rows, string expected)
    {
        var csv = "request_time,forecast_time,value\n" + rows.Replace("t0", "2025-01-01T00:00:00Z", StringComparison.Ordinal);

        var e = Assert.Throws<UsageException>(() => ForecastIssuesCsv.Read(new StringReader(csv), "f.csv"));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
