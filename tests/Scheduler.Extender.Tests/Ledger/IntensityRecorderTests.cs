using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Accounting;
using Scheduler.Core.Intensity;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Signals.Intensity;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Ledger;

/// <summary>
/// The service with France read from a carbon file (hourly, from 3 hours before <see cref="ExtenderServer.Now"/> to
/// 24 hours after) and the other zones from their built-in profiles, recording into a ledger of the test's own.
/// </summary>
public sealed class IntensityRecorderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = ExtenderServer.Now;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RecordingLedger _ledger = new();
    private readonly string _csv = Path.Combine(Path.GetTempPath(), $"fr-{Guid.NewGuid():N}.csv");
    private ExtenderServer? _server;

    private ExtenderServer Server => _server!;

    public async Task InitializeAsync()
    {
        var lines = Enumerable.Range(-3, 28).Select(h => string.Create(CultureInfo.InvariantCulture, $"{Now.AddHours(h):yyyy-MM-ddTHH:mm:ssZ},{Value(h)}"));
        await File.WriteAllTextAsync(_csv, "time,gco2\n" + string.Join('\n', lines));
        _server = await ExtenderServer.StartAsync(
            s => s.AddSingleton<ILedger>(_ledger),
            "--Carbon:Zones:FR:Type", "File",
            "--Carbon:Zones:FR:Path", _csv,
            "--Carbon:RefreshIntervalSeconds", "86400"); // refreshed by the tests only
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        File.Delete(_csv);
    }

    [Fact]
    public async Task Start_FileZone_RecordsItsForecastAndOnlyTheStepsThatHaveEndedAsActuals()
    {
        await WrittenAsync();

        // The file's steps before now are actuals; the step that starts now, and those after it, are not.
        var actuals = await _ledger.ReadActualsAsync([], Now.AddDays(-15), Now.AddDays(2), CancellationToken.None);
        Assert.Equal(
            [new IntensityPoint("FR", Now.AddHours(-3), Value(-3)), new IntensityPoint("FR", Now.AddHours(-2), Value(-2)), new IntensityPoint("FR", Now.AddHours(-1), Value(-1))],
            actuals);

        // The forecast, under its issue time, from the step in force then to the end of the file.
        var forecast = await _ledger.ReadForecastIssuedByAsync(["FR"], Now, Now.AddHours(-5), Now.AddDays(2), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 25).Select(h => new IntensityPoint("FR", Now.AddHours(h), Value(h))), forecast);
    }

    [Fact]
    public async Task Start_ProfileZones_RecordTheirForecastsButNoActuals()
    {
        await WrittenAsync();

        var profileForecast = Server.Services.GetRequiredService<IntensityCache>().Find("DE")!;
        var recorded = await _ledger.ReadForecastIssuedByAsync(["DE"], Now, Now, Now.AddDays(4), CancellationToken.None);
        Assert.Equal("profile", profileForecast.Source);
        Assert.Equal(profileForecast.Series.Count, recorded.Count);
        Assert.Equal(profileForecast.Series[0], recorded[0].GramsPerKwh);
        Assert.Empty(await _ledger.ReadActualsAsync(["DE", "GB", "US-CAL-CISO"], Now.AddDays(-30), Now.AddDays(4), CancellationToken.None));
        Assert.All(_ledger.WrittenOf("actuals"), call => Assert.StartsWith("actuals FR ", call, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_LaterRefreshes_RecordEachActualStepOnceWhenItHasEnded_AndRepeatedForecastsOnlyAfterTheInterval()
    {
        await WrittenAsync();
        var forecastsAtStart = _ledger.WrittenOf("forecast").Count;

        // Half an hour on: the step that started at "now" is read but has not ended, and every zone's forecast
        // repeats the one recorded (the file's and the profiles' values do not change).
        await RefreshAtAsync(TimeSpan.FromMinutes(30));
        Assert.Equal(["actuals FR 2026-01-14T15:00Z..2026-01-14T17:00Z (3)"], _ledger.WrittenOf("actuals"));
        Assert.Equal(forecastsAtStart, _ledger.WrittenOf("forecast").Count);

        // An hour on: that step has ended and is recorded, once; the forecasts are recorded again.
        await RefreshAtAsync(TimeSpan.FromMinutes(30));
        Assert.Equal(
            ["actuals FR 2026-01-14T15:00Z..2026-01-14T17:00Z (3)", "actuals FR 2026-01-14T18:00Z..2026-01-14T18:00Z (1)"],
            _ledger.WrittenOf("actuals"));
        Assert.Contains("forecast 2026-01-14T19:00:00.0000000+00:00 FR 2026-01-14T19:00Z..2026-01-15T18:00Z (24)", _ledger.WrittenOf("forecast"));
        Assert.Equal(2 * forecastsAtStart, _ledger.WrittenOf("forecast").Count);
    }

    [Fact]
    public void IssuedPoints_ForecastIssuedMidStep_StartsWithTheStepInForce()
    {
        var series = new IntensitySeries(Now, TimeSpan.FromMinutes(30), [100, 200, 300]);
        var forecast = new IntensityForecast("DE", series, Now.AddMinutes(40), "test");

        var points = IntensityRecorder.IssuedPoints(forecast);

        Assert.Equal([new IntensityPoint("DE", Now.AddMinutes(30), 200), new IntensityPoint("DE", Now.AddMinutes(60), 300)], points);
    }

    private static double Value(int hour) => 200 + (hour * 10);

    private async Task RefreshAtAsync(TimeSpan later)
    {
        ((FakeTimeProvider)Server.Services.GetRequiredService<TimeProvider>()).Advance(later);
        await Server.Services.GetRequiredService<IntensityService>().RefreshAllAsync(CancellationToken.None);
        await WrittenAsync();
    }

    private Task WrittenAsync() =>
        Server.Services.GetRequiredService<BufferedLedgerWriter>().WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);
}
