using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Signals.Forecasting;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Models;
using Scheduler.Signals.Profiles;

namespace Scheduler.Signals.Tests.Intensity;

public class IntensityRefresherTests
{
    [Fact]
    public async Task StartAsync_FillsTheCacheBeforeReturning()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var cache = new IntensityCache();
        using var refresher = Refresher(cache, time, out _);

        await refresher.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(4, cache.Count);
            Assert.Equal(time.GetUtcNow(), cache.Find("GB")!.IssuedAt);
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Refresh_OnEachInterval_ReissuesTheForecasts()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var cache = new IntensityCache();
        using var refresher = Refresher(cache, time, out _, refreshSeconds: 60);
        await refresher.StartAsync(CancellationToken.None);
        try
        {
            // ExecuteAsync starts on its own task, so its timer may not exist yet: keep advancing the
            // fake clock by whole intervals until a refresh lands (bounded in real time).
            var firstIssue = cache.Find("DE")!.IssuedAt;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (cache.Find("DE")!.IssuedAt == firstIssue && DateTime.UtcNow < deadline)
            {
                time.Advance(TimeSpan.FromSeconds(60));
                await Task.Delay(20);
            }

            var refreshed = cache.Find("DE")!;
            Assert.True(refreshed.IssuedAt > firstIssue);
            Assert.Equal(0, (refreshed.IssuedAt - firstIssue).Ticks % TimeSpan.FromSeconds(60).Ticks);
            Assert.True(refreshed.Series.Start <= refreshed.IssuedAt);
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Validate_UnknownOrUnavailableTypes_AreReportedPerZone()
    {
        var options = new CarbonOptions
        {
            Zones = new(StringComparer.OrdinalIgnoreCase)
            {
                ["DE"] = new CarbonZoneOptions { Type = "Profile" },
                ["PL"] = new CarbonZoneOptions { Type = "Profile" },
                ["GB"] = new CarbonZoneOptions { Type = "Magic" },
            },
        };

        var errors = options.Validate(["DE", "GB"]);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Carbon:Zones:PL", StringComparison.Ordinal) && e.Contains("no built-in profile", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Carbon:Zones:GB:Type", StringComparison.Ordinal) && e.Contains("Magic", StringComparison.Ordinal));
    }

    private static IntensityRefresher Refresher(IntensityCache cache, TimeProvider time, out IntensityService service, int refreshSeconds = 300)
    {
        var options = Options.Create(new CarbonOptions { RefreshIntervalSeconds = refreshSeconds });
        var profiles = new ProfileIntensityProvider(CarbonProfileCatalog.Load(new ModelFiles()));
        service = new IntensityService(
            cache,
            new ConfiguredZoneSources(options, profiles, (_, _) => throw new InvalidOperationException()),
            profiles,
            new ProviderPipelines(options, time),
            new HarmonicForecaster(new HarmonicForecastOptions()),
            new ForecastErrorTracker(),
            options,
            time,
            NullLogger<IntensityService>.Instance);
        return new IntensityRefresher(service, options, time);
    }
}
