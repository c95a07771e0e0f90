using Scheduler.Signals.Forecasting;
using Scheduler.Signals.Intensity;
using Scheduler.Tests.Shared;
using Xunit.Abstractions;

namespace Scheduler.Signals.Tests.Forecasting;

public class HarmonicForecasterTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // a Monday

    private static List<IntensityReading> Synthetic(int days, Func<DateTimeOffset, double> value) =>
        Enumerable.Range(0, days * 48)
            .Select(i => T0.AddMinutes(30 * i))
            .Select(t => new IntensityReading(t, TimeSpan.FromMinutes(30), value(t + TimeSpan.FromMinutes(15))))
            .ToList();

    private static double DailyShape(DateTimeOffset t) => 300 + (100 * Math.Sin(2 * Math.PI * (t.TimeOfDay.TotalHours - 6) / 24));

    [Fact]
    public void Forecast_PureDailyCycle_IsRecovered()
    {
        var history = Synthetic(21, DailyShape);
        var issuedAt = T0.AddDays(21);

        var forecast = new HarmonicForecaster(new HarmonicForecastOptions()).Forecast(history, issuedAt, TimeSpan.FromHours(72))!;

        Assert.Equal(issuedAt, forecast.Start);
        Assert.True(forecast.End >= issuedAt.AddHours(72));
        for (var i = 0; i < forecast.Count; i++)
        {
            Assert.Equal(DailyShape(forecast.Start.AddMinutes((30 * i) + 15)), forecast[i], 3);
        }
    }

    [Fact]
    public void Forecast_RecentDeparture_ShiftsTheNearTermAndFades()
    {
        // The last 6 h ran 80 g above the usual cycle (a windless evening, say).
        var issuedAt = T0.AddDays(21);
        var history = Synthetic(21, t => DailyShape(t) + (t >= issuedAt.AddHours(-6) ? 80 : 0));

        var forecast = new HarmonicForecaster(new HarmonicForecastOptions()).Forecast(history, issuedAt, TimeSpan.FromHours(72))!;

        var nearTerm = forecast[0] - DailyShape(forecast.Start.AddMinutes(15));
        var dayAhead = forecast[48] - DailyShape(forecast.Start.AddMinutes((30 * 48) + 15));
        // The fit carries the departure (fading); the "same time yesterday" part of the blend does not.
        Assert.InRange(nearTerm, 35, 60);
        Assert.InRange(dayAhead, 0, nearTerm / 2);
    }

    [Fact]
    public void Forecast_TooLittleHistory_IsNull()
    {
        var history = Synthetic(2, DailyShape);
        Assert.Null(new HarmonicForecaster(new HarmonicForecastOptions()).Forecast(history, T0.AddDays(2), TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Forecast_NeverUsesReadingsAtOrAfterTheIssueTime()
    {
        var issuedAt = T0.AddDays(14);
        var history = Synthetic(21, t => t < issuedAt ? DailyShape(t) : 5000);
        var forecast = new HarmonicForecaster(new HarmonicForecastOptions()).Forecast(history, issuedAt, TimeSpan.FromHours(24))!;
        Assert.All(Enumerable.Range(0, forecast.Count), i => Assert.InRange(forecast[i], 150, 450));
    }

    [Theory]
    [InlineData("ger_2025_ci.csv", "Europe/Berlin")]
    [InlineData("gb_2025_ci.csv", "Europe/London")]
    [InlineData("fr_2025_ci.csv", "Europe/Paris")]
    [InlineData("cal_2025_ci.csv", "America/Los_Angeles")]
    public void Forecast_Real2025Grids_BeatsYesterdaysValuesOnTheNextDay(string file, string timeZone)
    {
        // Every third day of 2025 at 00:00 UTC: forecast the next 24 h from the 28 days before, and
        // compare with the actuals; the reference is "same time yesterday", the usual naive forecast.
        using var reader = File.OpenText(RepositoryPaths.SharedData("carbon-2025", file));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var readings = IntensityCsv.Read(reader)
            .Select(r => new IntensityReading(r.UtcIn(zone), TimeSpan.FromMinutes(30), r.GramsPerKwh))
            .GroupBy(r => r.Time)
            .Select(g => g.First())
            .OrderBy(r => r.Time)
            .ToList();
        var byTime = readings.ToDictionary(r => r.Time, r => r.GramsPerKwh);
        var forecaster = new HarmonicForecaster(new HarmonicForecastOptions());

        double ownError = 0, naiveError = 0;
        var count = 0;
        for (var day = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero); day < new DateTimeOffset(2025, 12, 28, 0, 0, 0, TimeSpan.Zero); day = day.AddDays(3))
        {
            var forecast = forecaster.Forecast(readings, day, TimeSpan.FromHours(24))!;
            for (var i = 0; i < 48; i++)
            {
                var time = forecast.Start.AddMinutes(30 * i);
                if (byTime.TryGetValue(time, out var actual) && byTime.TryGetValue(time.AddDays(-1), out var yesterday))
                {
                    ownError += Math.Abs(forecast[i] - actual);
                    naiveError += Math.Abs(yesterday - actual);
                    count++;
                }
            }
        }

        var ownMae = ownError / count;
        var naiveMae = naiveError / count;
        output.WriteLine($"{file}: day-ahead MAE own {ownMae:0.0} g/kWh, same-time-yesterday {naiveMae:0.0} g/kWh over {count} half-hours");
        Assert.True(ownMae < naiveMae, $"{file}: own forecast MAE {ownMae:0.0} is not below yesterday's values {naiveMae:0.0}");
    }
}
