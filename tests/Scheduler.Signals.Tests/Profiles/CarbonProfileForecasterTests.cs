using Scheduler.Signals.Intensity;
using Scheduler.Signals.Models;
using Scheduler.Signals.Profiles;

namespace Scheduler.Signals.Tests.Profiles;

public class CarbonProfileForecasterTests
{
    private static readonly CarbonProfileCatalog Catalog = CarbonProfileCatalog.Load(new ModelFiles());

    [Fact]
    public void Catalog_Embedded_HasTheFourBuiltInZones()
    {
        Assert.Equal(["DE", "FR", "GB", "US-CAL-CISO"], Catalog.Zones.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Forecast_UtcSlot_TakesTheProfileValueOfItsLocalTime()
    {
        Assert.True(Catalog.TryGet("US-CAL-CISO", out var profile, out var timeZone));
        var from = new DateTimeOffset(2026, 7, 15, 19, 10, 0, TimeSpan.Zero); // Wednesday 12:10 PDT

        var series = CarbonProfileForecaster.Forecast(profile, timeZone, from, TimeSpan.FromHours(72));

        Assert.Equal(new DateTimeOffset(2026, 7, 15, 19, 0, 0, TimeSpan.Zero), series.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), series.Step);
        Assert.True(series.End >= from.AddHours(72));
        Assert.Equal(profile.Means[6][(int)DayOfWeek.Wednesday][24], series[0]);
    }

    [Fact]
    public void Forecast_California_IsCleanestAroundLocalNoon()
    {
        Assert.True(Catalog.TryGet("US-CAL-CISO", out var profile, out var timeZone));
        var series = CarbonProfileForecaster.Forecast(profile, timeZone, new DateTimeOffset(2026, 6, 10, 7, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(24));

        var cleanest = Enumerable.Range(0, series.Count).MinBy(i => series[i]);
        var localHour = TimeZoneInfo.ConvertTimeFromUtc((series.Start + (series.Step * cleanest)).UtcDateTime, timeZone).Hour;
        Assert.InRange(localHour, 10, 15);
    }

    [Fact]
    public async Task Provider_KnownAndUnknownZones()
    {
        var provider = new ProfileIntensityProvider(Catalog);
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        var forecast = await provider.GetForecastAsync("de", now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("DE", forecast.Zone);
        Assert.Equal("profile", forecast.Source);
        Assert.Equal(now, forecast.IssuedAt);
        Assert.InRange(forecast.Series.MeanOver(now, now.AddHours(72))!.Value, 50, 800);
        Assert.Null(await provider.GetForecastAsync("XX", now, CancellationToken.None));
    }
}
