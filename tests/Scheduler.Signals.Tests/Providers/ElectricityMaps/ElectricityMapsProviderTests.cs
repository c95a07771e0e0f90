using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.ElectricityMaps;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Providers.ElectricityMaps;

public sealed class ElectricityMapsProviderTests : IAsyncLifetime, IDisposable
{
    private const string Token = "em-secret-token-4f7a9c";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 20, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _tokenFile = Path.GetTempFileName();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ElectricityMapsFakeServer _server = null!;

    public async Task InitializeAsync()
    {
        // Whitespace and a trailing newline, as `kubectl create secret --from-file` leaves them.
        await File.WriteAllTextAsync(_tokenFile, "  " + Token + "\n");
        _server = await ElectricityMapsFakeServer.StartAsync(Token);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        File.Delete(_tokenFile);
    }

    [Fact]
    public async Task GetForecastAsync_DocumentedAnswer_ReturnsHourlyAverageSeries()
    {
        _server.Set("DE", "forecast", ForecastJson("DE", Now.AddMinutes(-20), TimeSpan.FromHours(1), [310, 295, 280.5, 260], updatedAt: "2026-11-23T07:53:20.794Z"));

        var forecast = await Provider().GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("DE", forecast.Zone);
        Assert.Equal("electricitymaps", forecast.Source);
        Assert.Equal(IntensitySignal.Average, forecast.Signal);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 53, 20, 794, TimeSpan.Zero), forecast.IssuedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromHours(1), forecast.Series.Step);
        Assert.Equal([310, 295, 280.5, 260], forecast.Series.Values.ToArray());
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v3/carbon-intensity/forecast", request.Path);
        Assert.Equal("DE", request.Query["zone"]);
        Assert.Equal(Token, request.AuthToken);
    }

    [Fact]
    public async Task GetForecastAsync_RegionConfigured_AsksForTheProvidersZoneAndLabelsOurs()
    {
        _server.Set("US-CAL-CISO", "forecast", ForecastJson("US-CAL-CISO", Now, TimeSpan.FromHours(1), [200, 210]));

        var forecast = await Provider(region: "US-CAL-CISO").GetForecastAsync("us-west", Now, CancellationToken.None);

        Assert.Equal("us-west", forecast!.Zone);
        Assert.Equal("US-CAL-CISO", Assert.Single(_server.Requests).Query["zone"]);
    }

    [Fact]
    public async Task GetForecastAsync_NoUpdatedAt_IsIssuedNow()
    {
        _server.Set("DE", "forecast", ForecastJson("DE", Now, TimeSpan.FromHours(1), [300, 301]));

        var forecast = await Provider().GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal(Now, forecast!.IssuedAt);
    }

    [Fact]
    public async Task GetForecastAsync_PointsOutOfOrder_AreSortedByTime()
    {
        _server.Set("DE", "forecast", """
            {"zone":"DE","forecast":[{"carbonIntensity":2,"datetime":"2026-11-23T09:00:00+00:00"},{"carbonIntensity":1,"datetime":"2026-11-23T08:00:00+00:00"}],"updatedAt":"2026-11-23T08:00:00+00:00"}
            """);

        var forecast = await Provider().GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), forecast!.Series.Start);
        Assert.Equal([1, 2], forecast.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetForecastAsync_SlashV3InConfiguredUrl_IsNotDoubled()
    {
        _server.Set("DE", "forecast", ForecastJson("DE", Now, TimeSpan.FromHours(1), [300, 301]));
        var provider = new ElectricityMapsProvider(_http, new CarbonZoneOptions { Url = _server.Url + "/v3/", TokenFile = _tokenFile }, _time, "DE");

        await provider.GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal("/v3/carbon-intensity/forecast", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task GetForecastAsync_WrongToken_IsAuthAndDoesNotRevealIt()
    {
        await File.WriteAllTextAsync(_tokenFile, "not-the-right-token-99");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, e.Kind);
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
        Assert.Contains("Access denied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-right-token-99", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task GetForecastAsync_CredentialsRefused_IsAuth(int status)
    {
        _server.RespondNext(status, """{"message":"Invalid authentication credentials"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, e.Kind);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task GetForecastAsync_ServerEchoesTheToken_MessageIsRedacted()
    {
        _server.RespondNext(401, $$"""{"message":"token {{Token}} is not valid for this zone"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
        Assert.Contains("token *** is not valid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithDeltaSeconds_IsRateLimitedWithRetryAfter()
    {
        _server.RespondNext(429, """{"message":"Too many requests"}""", "application/json", ("Retry-After", "120"));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithHttpDate_RetryAfterIsMeasuredFromTheClock()
    {
        var until = Now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);
        _server.RespondNext(429, """{"message":"Too many requests"}""", "application/json", ("Retry-After", until));

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), e.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithoutRetryAfter_HasNoRetryAfter()
    {
        _server.RespondNext(429);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Null(e.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task GetForecastAsync_ServerError_IsServer(int status)
    {
        _server.RespondNext(status, "<html>upstream error</html>", "text/html");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, e.Kind);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task GetForecastAsync_OutageThatLasts_FailsEveryCallUntilTheServerIsBack()
    {
        _server.Set("DE", "forecast", ForecastJson("DE", Now, TimeSpan.FromHours(1), [300, 301]));
        _server.RespondAlways(LoopbackApp.Canned(503, "<html>upstream error</html>", "text/html"));

        var first = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));
        var second = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));
        _server.RespondAlways(null);
        var forecast = await Provider().GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal((ProviderErrorKind.Server, ProviderErrorKind.Server), (first.Kind, second.Kind));
        Assert.Equal([300, 301], forecast!.Series.Values.ToArray());
        Assert.Equal([503, 503, 200], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task GetForecastAsync_ServerSlowerThanTheClientTimeout_IsTimeout()
    {
        _server.Set("DE", "forecast", ForecastJson("DE", Now, TimeSpan.FromHours(1), [300, 301]));
        _server.DelayNext(TimeSpan.FromSeconds(30));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var provider = new ElectricityMapsProvider(impatient, Options(), _time, "DE");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        _server.DelayNext(TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().GetForecastAsync("DE", Now, cancel.Token));
    }

    [Fact]
    public async Task GetForecastAsync_NothingListening_IsServer()
    {
        // A port that was just free and is closed again: connecting is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var provider = new ElectricityMapsProvider(_http, new CarbonZoneOptions { Url = $"http://127.0.0.1:{port}", TokenFile = _tokenFile }, _time, "DE");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_InvalidJson_IsMalformed()
    {
        _server.Set("DE", "forecast", """{"zone":"DE","forecast":[{"carbonIntensity":3""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Theory]
    [InlineData("""{"zone":"DE","updatedAt":"2026-11-23T08:00:00Z"}""", "'forecast'")]
    [InlineData("""{"zone":"DE","forecast":[{"carbonIntensity":300}]}""", "'datetime'")]
    [InlineData("""{"zone":"DE","forecast":[{"datetime":"2026-11-23T08:00:00Z"}]}""", "carbonIntensity")]
    [InlineData("""{"zone":"DE","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":null}]}""", "carbonIntensity")]
    [InlineData("""{"zone":"DE","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":"300"}]}""", "carbonIntensity")]
    [InlineData("""{"zone":"DE","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":-5}]}""", "carbonIntensity")]
    [InlineData("""[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":300}]""", "not an object")]
    [InlineData("""{"zone":"FR","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":300}]}""", "zone FR")]
    public async Task GetForecastAsync_MissingOrInvalidField_IsMalformedAndSaysWhat(string json, string said)
    {
        _server.Set("DE", "forecast", json);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains(said, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"zone":"DE","unit":"lbs/MWh","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":300}]}""")]
    [InlineData("""{"zone":"DE","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":300,"unit":"gCO2/MJ"}]}""")]
    public async Task GetForecastAsync_WrongUnit_IsMalformed(string json)
    {
        _server.Set("DE", "forecast", json);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains("unit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_UnitNamedAndRight_IsAccepted()
    {
        _server.Set("DE", "forecast", """{"zone":"DE","unit":"gCO2eq/kWh","forecast":[{"datetime":"2026-11-23T08:00:00Z","carbonIntensity":300}]}""");

        var forecast = await Provider().GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal(300, forecast!.Series[0]);
        Assert.Equal(TimeSpan.FromHours(1), forecast.Series.Step);
    }

    [Fact]
    public async Task GetForecastAsync_EmptyForecast_IsMalformed()
    {
        _server.Set("DE", "forecast", """{"zone":"DE","forecast":[],"updatedAt":"2026-11-23T08:00:00Z"}""");

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z", "2026-11-23T11:00:00Z")]
    [InlineData("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z")]
    public async Task GetForecastAsync_IrregularSpacing_IsMalformed(string first, string second, string third)
    {
        _server.Set("DE", "forecast", $$"""
            {"zone":"DE","forecast":[{"datetime":"{{first}}","carbonIntensity":1},{"datetime":"{{second}}","carbonIntensity":2},{"datetime":"{{third}}","carbonIntensity":3}]}
            """);

        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_UnknownZone_IsNoData()
    {
        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("XX", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, e.Kind);
        Assert.Equal(404, Assert.Single(_server.Requests).Status);
        Assert.Contains("Zone 'XX'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetActualsAsync_WithinTheLastDay_ReadsHistoryAndSkipsHoursWithoutData()
    {
        _server.Set("DE", "history", """
            {"zone":"DE","history":[
             {"zone":"DE","carbonIntensity":350,"datetime":"2026-11-23T04:00:00.000Z","updatedAt":"2026-11-23T04:50:00.000Z","createdAt":"2026-11-20T04:52:37.667Z","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null},
             {"zone":"DE","carbonIntensity":340,"datetime":"2026-11-23T05:00:00.000Z","updatedAt":"2026-11-23T05:50:00.000Z","createdAt":"2026-11-20T05:52:37.667Z","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null},
             {"zone":"DE","carbonIntensity":null,"datetime":"2026-11-23T06:00:00.000Z","updatedAt":"2026-11-23T06:50:00.000Z","createdAt":"2026-11-20T06:52:37.667Z","emissionFactorType":"lifecycle","isEstimated":true,"estimationMethod":null},
             {"zone":"DE","carbonIntensity":320,"datetime":"2026-11-23T07:00:00.000Z","updatedAt":"2026-11-23T07:50:00.000Z","createdAt":"2026-11-20T07:52:37.667Z","emissionFactorType":"lifecycle","isEstimated":true,"estimationMethod":"TIME_SLICER_AVERAGE"}]}
            """);

        var readings = await Provider().GetActualsAsync("DE", Now.AddHours(-3), Now.AddMinutes(-20), CancellationToken.None);

        Assert.Equal("/v3/carbon-intensity/history", Assert.Single(_server.Requests).Path);
        Assert.Equal(
            [
                new IntensityReading(new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), 340),
                new IntensityReading(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), 320),
            ],
            readings);
    }

    [Fact]
    public async Task GetActualsAsync_OlderThanADay_ReadsPastRangeWithStartAndEnd()
    {
        var start = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
        _server.Set("DE", "past-range", """
            {"zone":"DE","data":[
             {"zone":"DE","carbonIntensity":369,"datetime":"2026-11-10T00:00:00.000Z","updatedAt":"2026-11-11T22:15:38.617Z","createdAt":"2026-11-07T00:52:37.667Z","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null},
             {"zone":"DE","carbonIntensity":365,"datetime":"2026-11-10T01:00:00.000Z","updatedAt":"2026-11-11T22:15:09.461Z","createdAt":"2026-11-07T01:52:19.248Z","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null}]}
            """);

        var readings = await Provider().GetActualsAsync("DE", start, start.AddHours(2), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v3/carbon-intensity/past-range", request.Path);
        Assert.Equal("2026-11-10T00:00:00Z", request.Query["start"]);
        Assert.Equal("2026-11-10T02:00:00Z", request.Query["end"]);
        Assert.Equal([369, 365], readings.Select(r => r.GramsPerKwh));
        Assert.All(readings, r => Assert.Equal(TimeSpan.FromHours(1), r.Duration));
    }

    [Fact]
    public async Task GetActualsAsync_CurrentHour_ReadsLatest()
    {
        _server.Set("DE", "latest", """
            {"zone":"DE","carbonIntensity":103,"datetime":"2026-11-23T08:00:00.000Z","updatedAt":"2026-11-23T07:53:20.794Z","emissionFactorType":"lifecycle","isEstimated":true,"estimationMethod":"TIME_SLICER_AVERAGE"}
            """);

        var readings = await Provider().GetActualsAsync("DE", Now.AddMinutes(-10), Now, CancellationToken.None);

        Assert.Equal("/v3/carbon-intensity/latest", Assert.Single(_server.Requests).Path);
        Assert.Equal([new IntensityReading(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), 103)], readings);
    }

    [Fact]
    public async Task GetActualsAsync_UnknownZone_IsNoData()
    {
        var e = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetActualsAsync("XX", Now.AddHours(-2), Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, e.Kind);
    }

    [Fact]
    public void Constructor_TokenFileMissing_NamesTheSettingButNotTheSecret()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "token");

        var e = Assert.Throws<InvalidOperationException>(() => new ElectricityMapsProvider(_http, new CarbonZoneOptions { TokenFile = missing }, _time, "DE"));

        Assert.Contains("Carbon:Zones:DE:TokenFile", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TokenFileNotSet_NamesTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ElectricityMapsProvider(_http, new CarbonZoneOptions(), _time, "DE"));

        Assert.Contains("Carbon:Zones:DE:TokenFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_TokenFileEmpty_NamesTheSetting()
    {
        await File.WriteAllTextAsync(_tokenFile, " \n");

        var e = Assert.Throws<InvalidOperationException>(() => Provider());

        Assert.Contains("Carbon:Zones:DE:TokenFile", e.Message, StringComparison.Ordinal);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://api.electricitymaps.com")]
    public void Constructor_BadUrl_NamesTheSetting(string url)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ElectricityMapsProvider(_http, new CarbonZoneOptions { Url = url, TokenFile = _tokenFile }, _time, "DE"));

        Assert.Contains("Carbon:Zones:DE:Url", e.Message, StringComparison.Ordinal);
    }

    private static string ForecastJson(string zone, DateTimeOffset from, TimeSpan step, double[] values, string? updatedAt = null)
    {
        // The documented shape: {"zone","forecast":[{"carbonIntensity","datetime"}],"updatedAt"}, hourly from the current hour.
        var start = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero);
        var points = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            points.Append(i == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"carbonIntensity":{{values[i].ToString(CultureInfo.InvariantCulture)}},"datetime":"{{(start + (step * i)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}}"}""");
        }

        var issued = updatedAt is null ? string.Empty : $$""","updatedAt":"{{updatedAt}}" """.TrimEnd();
        return $$"""{"zone":"{{zone}}","forecast":[{{points}}]{{issued}}}""";
    }

    private CarbonZoneOptions Options(string? region = null) =>
        new() { Type = CarbonSourceTypes.ElectricityMaps, Url = _server.Url, TokenFile = _tokenFile, Region = region };

    private ElectricityMapsProvider Provider(string? region = null) => new(_http, Options(region), _time, "DE");
}
