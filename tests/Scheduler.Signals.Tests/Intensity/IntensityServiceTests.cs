using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Forecasting;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Models;
using Scheduler.Signals.Profiles;

namespace Scheduler.Signals.Tests.Intensity;

public class IntensityServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly ProfileIntensityProvider Profiles = new(CarbonProfileCatalog.Load(new ModelFiles()));

    private readonly IIntensityProvider _provider = Substitute.For<IIntensityProvider>();
    private readonly IntensityCache _cache = new();

    public IntensityServiceTests() => _provider.Name.Returns("fake");

    private IntensityService Service(TimeProvider time, Action<CarbonOptions>? configure = null)
    {
        var settings = new CarbonOptions { RetryBaseDelaySeconds = 0.01, MaxRetryAttempts = 2, ProviderTimeoutSeconds = 5 };
        settings.Zones["DE"] = new CarbonZoneOptions { Type = "ElectricityMaps" };
        settings.Zones["PL"] = new CarbonZoneOptions { Type = "ElectricityMaps" };
        configure?.Invoke(settings);
        var options = Options.Create(settings);
        return new IntensityService(
            _cache,
            new ConfiguredZoneSources(options, Profiles, (_, _) => _provider),
            Profiles,
            new ProviderPipelines(options, time),
            new HarmonicForecaster(new HarmonicForecastOptions()),
            new ForecastErrorTracker(),
            options,
            time,
            NullLogger<IntensityService>.Instance);
    }

    private static IntensityForecast Forecast(string zone, DateTimeOffset issuedAt, double value = 123) =>
        new(zone, new IntensitySeries(issuedAt, TimeSpan.FromMinutes(30), Enumerable.Repeat(value, 96).ToArray()), issuedAt, "fake");

    [Fact]
    public async Task RefreshZone_ProviderAnswers_CachesItsForecast()
    {
        _provider.GetForecastAsync("DE", Now, Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now));
        var service = Service(new FakeTimeProvider(Now));

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal("fake", _cache.Find("DE")!.Source);
        var status = Assert.Single(service.Status());
        Assert.Equal(ForecastOrigin.Fresh, status.Origin);
        Assert.Equal(Now, status.LastSuccess);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task RefreshZone_ProviderDownWithinStalenessLimit_KeepsTheLastForecast()
    {
        var time = new FakeTimeProvider(Now);
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now, 222));
        var service = Service(time);
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.Auth, "401"));
        time.Advance(TimeSpan.FromHours(1));
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal(222, _cache.Find("DE")!.Series[0]);
        var status = Assert.Single(service.Status());
        Assert.Equal(ForecastOrigin.Stale, status.Origin);
        Assert.Equal(ProviderErrorKind.Auth, status.LastError);
        Assert.Equal(Now, status.LastSuccess);
        Assert.Equal(1, service.ErrorCounts()[("fake", ProviderErrorKind.Auth)]);
    }

    [Fact]
    public async Task RefreshZone_ProviderDownBeyondStalenessLimit_FallsBackToTheProfile()
    {
        var time = new FakeTimeProvider(Now);
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now, 222));
        var service = Service(time, o => o.StalenessLimitMinutes = 60);
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.Malformed, "bad json"));
        time.Advance(TimeSpan.FromMinutes(61));
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal("profile (fallback for fake)", _cache.Find("DE")!.Source);
        Assert.Equal(ForecastOrigin.Profile, Assert.Single(service.Status()).Origin);
    }

    [Fact]
    public async Task RefreshZone_NoForecastAndNoProfile_RemovesTheZoneSoScoresTurnNeutral()
    {
        _provider.GetForecastAsync("PL", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.NoData, "404"));
        _cache.Set(Forecast("PL", Now.AddDays(-3)));
        var service = Service(new FakeTimeProvider(Now));

        await service.RefreshZoneAsync("PL", CancellationToken.None);

        Assert.Null(_cache.Find("PL"));
        Assert.Null(Assert.Single(service.Status()).Origin);
    }

    [Fact]
    public async Task RefreshZone_TransientFailure_IsRetriedThenSucceeds()
    {
        var calls = 0;
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(_ =>
            ++calls < 3
                ? Task.FromException<IntensityForecast?>(new IntensityProviderException("fake", ProviderErrorKind.Server, "503"))
                : Task.FromResult<IntensityForecast?>(Forecast("DE", Now)));
        var service = Service(TimeProvider.System);

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal(3, calls);
        Assert.Equal(ForecastOrigin.Fresh, Assert.Single(service.Status()).Origin);
    }

    [Fact]
    public async Task RefreshZone_AuthFailure_IsNotRetried()
    {
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.Auth, "401"));
        var service = Service(TimeProvider.System);

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        await _provider.Received(1).GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RefreshZone_LongRetryAfter_SkipsTheProviderUntilThen()
    {
        var time = new FakeTimeProvider(Now);
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.RateLimited, "429", TimeSpan.FromMinutes(30)));
        var service = Service(time);

        await service.RefreshZoneAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        await _provider.Received(1).GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        Assert.Equal(Now.AddMinutes(30), Assert.Single(service.Status()).NextAttempt);
        Assert.Equal("profile (fallback for fake)", _cache.Find("DE")!.Source);

        time.Advance(TimeSpan.FromMinutes(21));
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", time.GetUtcNow()));
        await service.RefreshZoneAsync("DE", CancellationToken.None);
        Assert.Equal("fake", _cache.Find("DE")!.Source);
    }

    [Fact]
    public async Task RefreshZone_ShortRetryAfter_IsWaitedAndRetried()
    {
        var calls = 0;
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(_ =>
            ++calls == 1
                ? Task.FromException<IntensityForecast?>(new IntensityProviderException("fake", ProviderErrorKind.RateLimited, "429", TimeSpan.FromMilliseconds(50)))
                : Task.FromResult<IntensityForecast?>(Forecast("DE", Now)));
        var service = Service(TimeProvider.System);

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal(2, calls);
        Assert.Equal("fake", _cache.Find("DE")!.Source);
    }

    [Fact]
    public async Task RefreshZone_HangingProvider_TimesOutAndFallsBack()
    {
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                await Task.Delay(Timeout.Infinite, call.Arg<CancellationToken>());
                return (IntensityForecast?)null;
            });
        var service = Service(TimeProvider.System, o =>
        {
            o.ProviderTimeoutSeconds = 1;
            o.MaxRetryAttempts = 0;
        });

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        var status = Assert.Single(service.Status());
        Assert.Equal(ProviderErrorKind.Timeout, status.LastError);
        Assert.Equal(ForecastOrigin.Profile, status.Origin);
    }

    [Fact]
    public async Task RefreshZone_ProviderBug_DoesNotEscape()
    {
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("bug"));
        var service = Service(new FakeTimeProvider(Now));

        await service.RefreshAllAsync(CancellationToken.None);

        Assert.Equal(ProviderErrorKind.Malformed, service.Status().Single(s => s.Zone == "DE").LastError);
        Assert.NotNull(_cache.Find("GB"));
    }

    [Fact]
    public async Task RefreshZone_ProviderGivesOnlyActuals_UsesOurOwnForecast()
    {
        // 20 days of a clean daily cycle in the actuals; the forecast endpoint has nothing.
        var start = Now.AddDays(-20);
        var actuals = Enumerable.Range(0, 20 * 48)
            .Select(i => new IntensityReading(start.AddMinutes(30 * i), TimeSpan.FromMinutes(30), 300 + (100 * Math.Sin(2 * Math.PI * i / 48.0))))
            .ToList();
        _provider.GetActualsAsync("PL", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(actuals);
        _provider.GetForecastAsync("PL", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.NoData, "no forecast for this zone"));
        var service = Service(new FakeTimeProvider(Now));

        await service.RefreshZoneAsync("PL", CancellationToken.None);

        var forecast = _cache.Find("PL")!;
        Assert.Equal("own (fake actuals)", forecast.Source);
        Assert.Equal(ForecastOrigin.Own, Assert.Single(service.Status()).Origin);
        Assert.True(forecast.Series.End >= Now.AddHours(72));
        Assert.InRange(forecast.Series.MeanOver(Now, Now.AddHours(24))!.Value, 280, 320);
    }

    [Fact]
    public async Task RefreshZone_LaterActuals_ScoreTheForecastsIssuedBefore()
    {
        var time = new FakeTimeProvider(Now);
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now, 200));
        IntensityReading[] measured = [new(Now, TimeSpan.FromMinutes(30), 230), new(Now.AddMinutes(30), TimeSpan.FromMinutes(30), 190)];
        _provider.GetActualsAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult<IReadOnlyList<IntensityReading>>(
                measured.Where(r => r.Time >= call.ArgAt<DateTimeOffset>(1) && r.Time < call.ArgAt<DateTimeOffset>(2)).ToList()));
        var service = Service(time);

        await service.RefreshZoneAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        var error = Assert.Single(service.ForecastErrors());
        Assert.Equal(("DE", "fake", 2L), (error.Zone, error.Source, error.Count));
        Assert.Equal(20, error.MeanAbsoluteErrorGramsPerKwh, 9);
    }

    [Fact]
    public async Task RefreshZone_Actuals_RaiseActualsReadWithTheReadingsNewToEachRefresh()
    {
        var time = new FakeTimeProvider(Now);
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now, 200));
        IntensityReading[] measured = [new(Now.AddHours(-1), TimeSpan.FromMinutes(30), 210), new(Now.AddMinutes(-30), TimeSpan.FromMinutes(30), 220), new(Now, TimeSpan.FromMinutes(30), 230)];
        _provider.GetActualsAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult<IReadOnlyList<IntensityReading>>(
                measured.Where(r => r.Time + r.Duration > call.ArgAt<DateTimeOffset>(1) && r.Time < call.ArgAt<DateTimeOffset>(2)).ToList()));
        var service = Service(time);
        var raised = new List<ZoneActuals>();
        service.ActualsRead += (_, actuals) => raised.Add(actuals);

        await service.RefreshZoneAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(30));
        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal(2, raised.Count);
        Assert.All(raised, r => Assert.Equal(("DE", "fake"), (r.Zone, r.Provider)));
        Assert.Equal([210.0, 220.0], raised[0].Readings.Select(r => r.GramsPerKwh));
        Assert.Equal([230.0], raised[1].Readings.Select(r => r.GramsPerKwh));
    }

    [Fact]
    public async Task RefreshZone_ProfileZone_NeverRaisesActualsRead()
    {
        var service = Service(new FakeTimeProvider(Now), o => o.Zones.Clear());
        var raised = 0;
        service.ActualsRead += (_, _) => raised++;

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal("profile", _cache.Find("DE")!.Source);
        Assert.Equal(0, raised);
    }

    [Fact]
    public async Task RefreshZone_FirstActuals_AreRequestedInPiecesOfAtMostAWeek()
    {
        var spans = new List<(DateTimeOffset From, DateTimeOffset To)>();
        _provider.GetActualsAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                spans.Add((call.ArgAt<DateTimeOffset>(1), call.ArgAt<DateTimeOffset>(2)));
                return Task.FromResult<IReadOnlyList<IntensityReading>>([]);
            });
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(Forecast("DE", Now));
        var service = Service(new FakeTimeProvider(Now));

        await service.RefreshZoneAsync("DE", CancellationToken.None);

        Assert.Equal(Now.AddDays(-14), spans[0].From);
        Assert.Equal(Now, spans[^1].To);
        Assert.All(spans, span => Assert.InRange(span.To - span.From, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7)));
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.Equal(spans[i - 1].To, spans[i].From);
        }
    }

    [Fact]
    public async Task RefreshZone_SustainedFailures_OpenTheCircuitSoTheProviderIsSpared()
    {
        _provider.GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IntensityProviderException("fake", ProviderErrorKind.Server, "503"));
        var service = Service(new FakeTimeProvider(Now), o => o.MaxRetryAttempts = 0);

        for (var i = 0; i < 20; i++)
        {
            await service.RefreshZoneAsync("DE", CancellationToken.None);
        }

        // The breaker opens after 10 failed calls; the fake clock never reaches its break duration.
        await _provider.Received(10).GetForecastAsync("DE", Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        Assert.Equal(ForecastOrigin.Profile, Assert.Single(service.Status()).Origin);
    }
}
