using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.WattTime;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Providers.WattTime;

public sealed class WattTimeProviderTests : IAsyncLifetime, IDisposable
{
    private const string Username = "scheduler-bot";
    private const string Password = "wt-Pa55word-8e1d";
    private const string Region = "CAISO_NORTH";
    private const double LbsToGrams = 0.45359237;

    // The example of carbon-sources.md §2.2 was generated at 16:40; the scheduler asks two minutes later.
    private static readonly DateTimeOffset Now = new(2024, 2, 27, 16, 42, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _passwordFile = Path.GetTempFileName();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private WattTimeFakeServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_passwordFile, Password + "\n");
        _server = await WattTimeFakeServer.StartAsync(Username, Password, _time);
        _server.Set(Region, "forecast", ForecastJson(new DateTimeOffset(2024, 2, 27, 16, 40, 0, TimeSpan.Zero), [208.6, 208.6, 210.2, 1000]));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        File.Delete(_passwordFile);
    }

    [Fact]
    public async Task GetForecastAsync_DocumentedAnswer_ReturnsMarginalSeriesInGramsPerKwh()
    {
        var forecast = await Provider().GetForecastAsync("us-west", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("us-west", forecast.Zone);
        Assert.Equal("watttime", forecast.Source);
        Assert.Equal(IntensitySignal.Marginal, forecast.Signal);
        Assert.Equal(new DateTimeOffset(2024, 2, 27, 16, 40, 0, TimeSpan.Zero), forecast.IssuedAt);
        Assert.Equal(new DateTimeOffset(2024, 2, 27, 16, 40, 0, TimeSpan.Zero), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(5), forecast.Series.Step);
        Assert.Equal(4, forecast.Series.Count);
        Assert.Equal(208.6 * LbsToGrams, forecast.Series[0], 9);
        Assert.Equal(210.2 * LbsToGrams, forecast.Series[2], 9);
        Assert.Equal(453.59237, forecast.Series[3], 9);
    }

    [Fact]
    public async Task GetForecastAsync_FirstCall_LogsInWithBasicAuthThenSendsTheBearerToken()
    {
        await Provider().GetForecastAsync("us-west", Now, CancellationToken.None);

        var requests = _server.Requests;
        Assert.Equal(["/login", "/v3/forecast"], requests.Select(r => r.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")), requests[0].Authorization);
        Assert.Equal("Bearer " + Assert.Single(_server.IssuedTokens), requests[1].Authorization);
        Assert.Equal(Region, requests[1].Query["region"]);
        Assert.Equal("co2_moer", requests[1].Query["signal_type"]);
    }

    [Fact]
    public async Task GetForecastAsync_WithinTheTokensLifetime_ReusesTheToken()
    {
        var provider = Provider();
        await provider.GetForecastAsync("us-west", Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(20));

        await provider.GetForecastAsync("us-west", _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(1, _server.SuccessfulLogins);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task GetForecastAsync_AfterTheTokenExpires_LogsInAgainBeforeTheServerRefusesIt()
    {
        var provider = Provider();
        await provider.GetForecastAsync("us-west", Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(31));

        await provider.GetForecastAsync("us-west", _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(2, _server.SuccessfulLogins);
        Assert.DoesNotContain(_server.Requests, r => r.Status == 401);
        Assert.Equal("Bearer " + _server.IssuedTokens[1], _server.Requests[^1].Authorization);
    }

    [Fact]
    public async Task GetForecastAsync_TokenNearItsEnd_IsRefreshedAtTwentyFiveMinutes()
    {
        var provider = Provider();
        await provider.GetForecastAsync("us-west", Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(25));

        await provider.GetForecastAsync("us-west", _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(2, _server.SuccessfulLogins);
    }

    [Fact]
    public async Task GetForecastAsync_TokenRefusedBeforeItsTime_LogsInOnceMoreAndSucceeds()
    {
        var provider = Provider();
        await provider.GetForecastAsync("us-west", Now, CancellationToken.None);
        _server.RevokeTokens();

        var forecast = await provider.GetForecastAsync("us-west", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal(["/login", "/v3/forecast", "/v3/forecast", "/login", "/v3/forecast"], _server.Requests.Select(r => r.Path));
        Assert.Equal([200, 200, 401, 200, 200], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task GetForecastAsync_TokenRefusedTwice_IsAuthAfterOneReLogin()
    {
        _server.RespondNext("/v3/forecast", 401, """{"error":"Invalid or expired token."}""");
        _server.RespondNext("/v3/forecast", 401, """{"error":"Invalid or expired token."}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, e.Kind);
        Assert.Equal(2, _server.SuccessfulLogins);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/v3/forecast"));
    }

    [Fact]
    public async Task GetForecastAsync_WrongPassword_IsAuthNamingTheSettingsNotTheSecret()
    {
        await File.WriteAllTextAsync(_passwordFile, "wrong-Pa55word-0000");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, e.Kind);
        Assert.Contains("Carbon:Zones:us-west:PasswordFile", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55word-0000", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/v3/forecast");
    }

    [Fact]
    public async Task GetForecastAsync_ServerEchoesSecrets_MessagesAreRedacted()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        _server.RespondNext("/login", 500, $$"""{"error":"login failed for {{Password}} / {{basic}}"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, e.Kind);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(basic, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_DataCallEchoesTheToken_MessageIsRedacted()
    {
        _server.RespondNext("/v3/forecast", context =>
        {
            var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
            context.Response.StatusCode = 500;
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, $$"""{"error":"failed for token {{token}}"}""");
        });

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.DoesNotContain(Assert.Single(_server.IssuedTokens), e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithDeltaSeconds_IsRateLimitedWithRetryAfter()
    {
        _server.RespondNext("/v3/forecast", 429, """{"error":"Rate limit exceeded"}""", "application/json", ("Retry-After", "30"));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_LoginRateLimitedWithHttpDate_RetryAfterIsMeasuredFromTheClock()
    {
        var until = Now.AddMinutes(4).ToString("r", CultureInfo.InvariantCulture);
        _server.RespondNext("/login", 429, """{"error":"Rate limit exceeded"}""", "application/json", ("Retry-After", until));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromMinutes(4), e.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_RetryAfterDateInThePast_IsZero()
    {
        var until = Now.AddMinutes(-1).ToString("r", CultureInfo.InvariantCulture);
        _server.RespondNext("/v3/forecast", 429, string.Empty, "application/json", ("Retry-After", until));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(TimeSpan.Zero, e.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task GetForecastAsync_ServerError_IsServer(int status)
    {
        _server.RespondNext("/v3/forecast", status, """{"error":"Internal server error"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_ServerSlowerThanTheClientTimeout_IsTimeout()
    {
        _server.DelayNext("/v3/forecast", TimeSpan.FromSeconds(30));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var provider = new WattTimeProvider(impatient, Options(), _time, "us-west");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        _server.DelayNext("/login", TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().GetForecastAsync("us-west", Now, cancel.Token));
    }

    [Fact]
    public async Task GetForecastAsync_InvalidJson_IsMalformed()
    {
        _server.Set(Region, "forecast", """{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":208.6}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_LoginWithoutToken_IsMalformed()
    {
        _server.RespondNext("/login", 200, """{"access":"nope"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Theory]
    [InlineData("g_co2_per_kwh")]
    [InlineData("percentile")]
    [InlineData("")]
    public async Task GetForecastAsync_UnknownUnits_IsMalformed(string units)
    {
        _server.Set(Region, "forecast", ForecastJson(new DateTimeOffset(2024, 2, 27, 16, 40, 0, TimeSpan.Zero), [208.6, 208.6], units: units));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains("units", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":208.6}]}""", "meta")]
    [InlineData("""{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":208.6}],"meta":{"region":"CAISO_NORTH"}}""", "units")]
    [InlineData("""{"meta":{"units":"lbs_co2_per_mwh"}}""", "'data'")]
    [InlineData("""{"data":[{"value":208.6}],"meta":{"units":"lbs_co2_per_mwh"}}""", "point_time")]
    [InlineData("""{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":null}],"meta":{"units":"lbs_co2_per_mwh"}}""", "value")]
    [InlineData("""{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":1}],"meta":{"units":"lbs_co2_per_mwh","region":"PJM_DC"}}""", "PJM_DC")]
    [InlineData("""{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":1}],"meta":{"units":"lbs_co2_per_mwh","signal_type":"co2_aoer"}}""", "co2_aoer")]
    public async Task GetForecastAsync_MissingOrInvalidField_IsMalformedAndSaysWhat(string json, string said)
    {
        _server.Set(Region, "forecast", json);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains(said, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_EmptyForecast_IsMalformed()
    {
        _server.Set(Region, "forecast", ForecastJson(Now, []));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_IrregularSpacing_IsMalformed()
    {
        _server.Set(Region, "forecast", """
            {"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":1},{"point_time":"2024-02-27T16:45:00+00:00","value":2},{"point_time":"2024-02-27T16:55:00+00:00","value":3}],
             "meta":{"region":"CAISO_NORTH","signal_type":"co2_moer","units":"lbs_co2_per_mwh","data_point_period_seconds":300}}
            """);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_UnknownRegion_IsNoData()
    {
        var provider = new WattTimeProvider(_http, Options(region: "NOWHERE"), _time, "us-west");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("us-west", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, e.Kind);
        Assert.Equal(404, _server.Requests[^1].Status);
    }

    [Fact]
    public async Task GetActualsAsync_Period_ReadsHistoricalConvertedToGramsPerKwh()
    {
        var start = new DateTimeOffset(2024, 2, 27, 15, 0, 0, TimeSpan.Zero);
        _server.Set(Region, "historical", """
            {"data":[{"point_time":"2024-02-27T15:00:00+00:00","value":900.0},{"point_time":"2024-02-27T15:05:00+00:00","value":1000.0},{"point_time":"2024-02-27T15:10:00+00:00","value":1100.0}],
             "meta":{"region":"CAISO_NORTH","signal_type":"co2_moer","model":{"date":"2023-03-01"},"units":"lbs_co2_per_mwh","generated_at_period_seconds":300,"data_point_period_seconds":300,"warnings":[]}}
            """);

        var readings = await Provider().GetActualsAsync("us-west", start, start.AddMinutes(10), CancellationToken.None);

        var request = _server.Requests[^1];
        Assert.Equal("/v3/historical", request.Path);
        Assert.Equal("2024-02-27T15:00:00Z", request.Query["start"]);
        Assert.Equal("2024-02-27T15:10:00Z", request.Query["end"]);
        Assert.Equal("co2_moer", request.Query["signal_type"]);
        Assert.Equal(2, readings.Count);
        Assert.Equal(start, readings[0].Time);
        Assert.Equal(TimeSpan.FromMinutes(5), readings[0].Duration);
        Assert.Equal(900 * LbsToGrams, readings[0].GramsPerKwh, 9);
        Assert.Equal(453.59237, readings[1].GramsPerKwh, 9);
    }

    [Fact]
    public async Task GetActualsAsync_UnknownUnits_IsMalformed()
    {
        _server.Set(Region, "historical", """{"data":[{"point_time":"2024-02-27T15:00:00+00:00","value":900.0}],"meta":{"units":"kg_co2_per_mwh"}}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetActualsAsync("us-west", Now.AddHours(-2), Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public void Constructor_NoRegion_NamesTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new WattTimeProvider(_http, Options(region: " "), _time, "us-west"));

        Assert.Contains("Carbon:Zones:us-west:Region", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoUsername_NamesTheSetting()
    {
        var options = Options();
        options.Username = null;

        var e = Assert.Throws<InvalidOperationException>(() => new WattTimeProvider(_http, options, _time, "us-west"));

        Assert.Contains("Carbon:Zones:us-west:Username", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PasswordFileMissing_NamesTheSetting()
    {
        var options = Options();
        options.PasswordFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "password");

        var e = Assert.Throws<InvalidOperationException>(() => new WattTimeProvider(_http, options, _time, "us-west"));

        Assert.Contains("Carbon:Zones:us-west:PasswordFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PasswordFileNotSet_NamesTheSetting()
    {
        var options = Options();
        options.PasswordFile = null;

        var e = Assert.Throws<InvalidOperationException>(() => new WattTimeProvider(_http, options, _time, "us-west"));

        Assert.Contains("Carbon:Zones:us-west:PasswordFile", e.Message, StringComparison.Ordinal);
    }

    private static string ForecastJson(DateTimeOffset start, double[] values, string units = "lbs_co2_per_mwh")
    {
        // The documented shape (carbon-sources.md §2.2): 5-minute points from the current period, units in meta.
        var points = string.Join(",", values.Select((v, i) => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"point_time":"{{(start + TimeSpan.FromMinutes(5 * i)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","value":{{v}}}""")));
        var generated = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return $$$"""
            {"data":[{{{points}}}],
             "meta":{"region":"{{{Region}}}","signal_type":"co2_moer","model":{"date":"2023-03-01"},"units":"{{{units}}}",
                     "generated_at":"{{{generated}}}","generated_at_period_seconds":300,"data_point_period_seconds":300,"warnings":[]}}
            """;
    }

    private CarbonZoneOptions Options(string region = Region) => new()
    {
        Type = CarbonSourceTypes.WattTime,
        Url = _server.Url,
        Region = region,
        Username = Username,
        PasswordFile = _passwordFile,
    };

    private WattTimeProvider Provider() => new(_http, Options(), _time, "us-west");
}
