using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.UkNeso;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Providers.UkNeso;

public sealed class UkNesoProviderTests : IAsyncLifetime, IDisposable
{
    // Ten minutes into the first half-hour of the captured responses.
    private static readonly DateTimeOffset Now = new(2023, 12, 3, 10, 40, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private UkNesoFakeApi _api = null!;

    public async Task InitializeAsync() => _api = await UkNesoFakeApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetForecastAsync_National_ReadsTheForecastOnHalfHourStepsFromTheFirstFrom()
    {
        var forecast = await Provider().GetForecastAsync("GB", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("GB", forecast.Zone);
        Assert.Equal("ukneso", forecast.Source);
        Assert.Equal(IntensitySignal.Average, forecast.Signal);
        Assert.Equal(Now, forecast.IssuedAt);
        Assert.Equal(new DateTimeOffset(2023, 12, 3, 10, 30, 0, TimeSpan.Zero), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), forecast.Series.Step);
        Assert.Equal(96, forecast.Series.Count);
        Assert.Equal([211, 216, 220, 222, 227], forecast.Series.Values[..5].ToArray());
        Assert.Equal(216, forecast.Series[95]);
        Assert.Equal(["/intensity/2023-12-03T10:40Z/fw48h"], _api.Requests);
    }

    [Fact]
    public async Task GetForecastAsync_RegionalDataAsObject_ReadsTheRegionsForecast()
    {
        var forecast = await Provider(region: "13").GetForecastAsync("GB-LON", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal(new DateTimeOffset(2023, 12, 3, 10, 30, 0, TimeSpan.Zero), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), forecast.Series.Step);
        Assert.Equal(96, forecast.Series.Count);
        Assert.Equal([134, 136, 137], forecast.Series.Values[..3].ToArray());
        Assert.Equal(["/regional/intensity/2023-12-03T10:40Z/fw48h/regionid/13"], _api.Requests);
    }

    [Fact]
    public async Task GetForecastAsync_RegionalDataAsArray_ReadsTheSameForecast()
    {
        var fromObject = await Provider(region: "13").GetForecastAsync("GB-LON", Now, CancellationToken.None);
        _api.RegionalDataAsArray = true;

        var fromArray = await Provider(region: "13").GetForecastAsync("GB-LON", Now, CancellationToken.None);

        Assert.NotNull(fromArray);
        Assert.Equal(fromObject!.Series.Start, fromArray.Series.Start);
        Assert.Equal(fromObject.Series.Values.ToArray(), fromArray.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithDeltaSeconds_IsRateLimitedWithThatWait()
    {
        _api.Override = static context =>
        {
            context.Response.Headers.RetryAfter = "120";
            return UkNesoFakeApi.WriteJsonAsync(context, """{"error":{"code":"429","message":"Too Many Requests"}}""", StatusCodes.Status429TooManyRequests);
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Equal("ukneso", error.Provider);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithHttpDate_WaitIsMeasuredOnTheInjectedClock()
    {
        _api.Override = context =>
        {
            context.Response.Headers.RetryAfter = (Now + TimeSpan.FromMinutes(5)).ToString("R");
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task GetForecastAsync_ServerError_IsServer(int status)
    {
        _api.Override = context => UkNesoFakeApi.WriteJsonAsync(context, "<html>down</html>", status);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, error.Kind);
        Assert.Null(error.RetryAfter);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task GetForecastAsync_Refused_IsAuth(int status)
    {
        _api.Override = context => UkNesoFakeApi.WriteJsonAsync(context, "{}", status);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_ServerNeverAnswers_IsTimeout()
    {
        _api.Override = static context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider(http: http).GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_CallerCancels_PropagatesCancellation()
    {
        _api.Override = static context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().GetForecastAsync("GB", Now, cancellation.Token));
    }

    [Fact]
    public async Task GetForecastAsync_NothingListening_IsServer()
    {
        var provider = new UkNesoProvider(_http, new CarbonZoneOptions { Url = $"http://127.0.0.1:{FreePort()}/" }, _time);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_TruncatedJson_IsMalformed()
    {
        var truncated = UkNesoFakeApi.NationalJson[..500];
        _api.Override = context => UkNesoFakeApi.WriteJsonAsync(context, truncated);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"error":{"code":"400","message":"x"}}""")]
    [InlineData("""{"data":[{"from":"2023-12-03T10:30Z","to":"2023-12-03T11:00Z"}]}""")]
    [InlineData("""{"data":[{"from":"2023-12-03T10:30Z","to":"2023-12-03T11:00Z","intensity":{"forecast":null,"actual":null,"index":"high"}}]}""")]
    public async Task GetForecastAsync_EmptyOrIncompleteForecast_IsMalformed(string json)
    {
        _api.Override = context => UkNesoFakeApi.WriteJsonAsync(context, json);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_RegionalArrayWithoutRegions_IsMalformed()
    {
        _api.Override = static context => UkNesoFakeApi.WriteJsonAsync(context, """{"data":[]}""");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider(region: "13").GetForecastAsync("GB-LON", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_NullForecastMidway_CutsTheSeriesAtTheHole()
    {
        const string json = """
            {"data":[
              {"from":"2023-12-03T10:30Z","to":"2023-12-03T11:00Z","intensity":{"forecast":211,"actual":206,"index":"high"}},
              {"from":"2023-12-03T11:00Z","to":"2023-12-03T11:30Z","intensity":{"forecast":216,"actual":null,"index":"high"}},
              {"from":"2023-12-03T11:30Z","to":"2023-12-03T12:00Z","intensity":{"forecast":null,"actual":null,"index":"high"}},
              {"from":"2023-12-03T12:00Z","to":"2023-12-03T12:30Z","intensity":{"forecast":222,"actual":null,"index":"high"}}]}
            """;
        _api.Override = context => UkNesoFakeApi.WriteJsonAsync(context, json);

        var forecast = await Provider().GetForecastAsync("GB", Now, CancellationToken.None);

        Assert.Equal([211, 216], forecast!.Series.Values.ToArray());
    }

    [Theory]
    [InlineData("99")]
    [InlineData("0")]
    [InlineData("London")]
    public async Task GetForecastAsync_UnknownRegion_IsNoDataWithoutCallingTheApi(string region)
    {
        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider(region: region).GetForecastAsync("GB-LON", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task GetForecastAsync_RegionTheApiRefuses_IsNoData()
    {
        // The fake, like the API, answers routes it does not serve (here region 5) with a 400 error object.
        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider(region: "5").GetForecastAsync("GB-YOR", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_NotFound_IsNoData()
    {
        _api.Override = static context => UkNesoFakeApi.WriteJsonAsync(context, "{}", StatusCodes.Status404NotFound);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetForecastAsync("GB", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
    }

    [Fact]
    public async Task GetActualsAsync_National_ReturnsMeasuredHalfHoursAndSkipsNulls()
    {
        var start = new DateTimeOffset(2023, 12, 3, 10, 30, 0, TimeSpan.Zero);

        var readings = await Provider().GetActualsAsync("GB", start, start.AddHours(2), CancellationToken.None);

        var reading = Assert.Single(readings);
        Assert.Equal(new IntensityReading(start, TimeSpan.FromMinutes(30), 206), reading);
        Assert.Equal(["/intensity/2023-12-03T10:00Z/2023-12-03T12:30Z"], _api.Requests);
    }

    [Fact]
    public async Task GetActualsAsync_PeriodBeforeTheAnswer_ClipsToThePeriod()
    {
        var start = new DateTimeOffset(2023, 12, 3, 9, 0, 0, TimeSpan.Zero);

        var readings = await Provider().GetActualsAsync("GB", start, start.AddHours(1.5), CancellationToken.None);

        Assert.Empty(readings);
    }

    [Fact]
    public async Task GetActualsAsync_MoreThanFourteenDays_AsksInPieces()
    {
        var start = new DateTimeOffset(2023, 11, 1, 0, 0, 0, TimeSpan.Zero);

        await Provider().GetActualsAsync("GB", start, start.AddDays(20), CancellationToken.None);

        Assert.Equal(
            ["/intensity/2023-10-31T23:30Z/2023-11-14T23:30Z", "/intensity/2023-11-14T23:30Z/2023-11-21T00:00Z"],
            _api.Requests);
    }

    [Fact]
    public async Task GetActualsAsync_Regional_IsEmptyBecauseRegionsHaveNoActuals()
    {
        var readings = await Provider(region: "13").GetActualsAsync("GB-LON", Now.AddHours(-2), Now, CancellationToken.None);

        Assert.Empty(readings);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task GetActualsAsync_ServerError_IsServer()
    {
        _api.Override = static context => UkNesoFakeApi.WriteJsonAsync(context, "{}", StatusCodes.Status503ServiceUnavailable);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider().GetActualsAsync("GB", Now.AddHours(-2), Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, error.Kind);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private UkNesoProvider Provider(string? region = null, HttpClient? http = null) =>
        new(http ?? _http, new CarbonZoneOptions { Type = CarbonSourceTypes.UkNeso, Url = _api.BaseUrl.ToString(), Region = region }, _time);
}
