using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.CarbonAwareSdk;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Providers.CarbonAwareSdk;

public sealed class CarbonAwareSdkProviderTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 3, 24, 0, 5, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _tempDir = Directory.CreateTempSubdirectory("casdk-tests-").FullName;
    private CarbonAwareSdkFakeApi _api = null!;

    public async Task InitializeAsync() => _api = await CarbonAwareSdkFakeApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_tempDir, recursive: true);
    }

    [Fact]
    public async Task GetForecastAsync_Current_ReadsForecastDataValuesStepAndStart()
    {
        var forecast = await Provider(CarbonAwareSdkFakeApi.ForecastLocation).GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("DE", forecast.Zone);
        Assert.Equal("carbonawaresdk", forecast.Source);
        Assert.Equal(IntensitySignal.Average, forecast.Signal);
        Assert.Equal(new DateTimeOffset(2024, 3, 24, 0, 0, 0, TimeSpan.Zero), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(15), forecast.Series.Step);
        Assert.Equal(92, forecast.Series.Count);
        Assert.Equal([185.3, 184.9, 184.9, 184.7], forecast.Series.Values[..4].ToArray());

        // No windowSize: with one, forecastData would hold rolling averages instead of the forecast.
        Assert.Equal(["/emissions/forecasts/current?location=germanywestcentral"], _api.Requests);
    }

    [Fact]
    public async Task GetForecastAsync_NoRegion_AsksForTheZoneName()
    {
        var forecast = await Provider(region: null).GetForecastAsync(CarbonAwareSdkFakeApi.ForecastLocation, Now, CancellationToken.None);

        Assert.Equal(92, forecast!.Series.Count);
    }

    [Fact]
    public async Task GetForecastAsync_DurationAsTimeSpanString_IsReadToo()
    {
        var json = CarbonAwareSdkFakeApi.ForecastJson("x").Replace("\"duration\":15", "\"duration\":\"00:15:00\"", StringComparison.Ordinal);
        _api.Override = context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, json);

        var forecast = await Provider("x").GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(15), forecast!.Series.Step);
        Assert.Equal(92, forecast.Series.Count);
    }

    [Fact]
    public async Task GetForecastAsync_UnknownLocation_IsNoData()
    {
        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("atlantis").GetForecastAsync("XX", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
        Assert.Contains("Unknown region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequests_IsRateLimitedWithRetryAfter()
    {
        _api.Override = static context =>
        {
            context.Response.Headers.RetryAfter = "30";
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_TooManyRequestsWithPastHttpDate_WaitIsZero()
    {
        _api.Override = static context =>
        {
            context.Response.Headers.RetryAfter = (Now - TimeSpan.FromMinutes(1)).ToString("R");
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
    }

    [Fact]
    public async Task GetForecastAsync_ServerError_IsServer()
    {
        // The SDK's exception filter answers unexpected failures with a 500 problem document.
        _api.Override = static context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, """{"title":"InternalServerError","status":500,"errors":{}}""", 500, "application/problem+json");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_ServerNeverAnswers_IsTimeout()
    {
        _api.Override = static context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x", http: http).GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_MalformedJson_IsMalformed()
    {
        _api.Override = static context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, """[{"generatedAt":"2024-03-24T00:00:00+00:00","forecastData":[{"timestamp":""");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""[{"location":"x","forecastData":[],"optimalDataPoints":[]}]""")]
    [InlineData("""[{"location":"x","optimalDataPoints":[]}]""")]
    [InlineData("""[{"location":"x","forecastData":[{"location":"x","timestamp":"2024-03-24T00:00:00Z","duration":15}]}]""")]
    [InlineData("""{"location":"x"}""")]
    public async Task GetForecastAsync_EmptyOrIncompleteForecast_IsMalformed(string json)
    {
        _api.Override = context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, json);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_TokenFile_IsSentAsBearerToken()
    {
        var tokenFile = Path.Combine(_tempDir, "token");
        await File.WriteAllTextAsync(tokenFile, "s3cret\n");

        await Provider(CarbonAwareSdkFakeApi.ForecastLocation, tokenFile: tokenFile).GetForecastAsync("DE", Now, CancellationToken.None);

        Assert.Equal("Bearer s3cret", _api.LastAuthorization);
    }

    [Fact]
    public async Task GetForecastAsync_MissingTokenFile_IsAuthWithoutCalling()
    {
        var error = await Assert.ThrowsAsync<IntensityProviderException>(
            () => Provider("x", tokenFile: Path.Combine(_tempDir, "absent")).GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, error.Kind);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task GetForecastAsync_Unauthorized_IsAuth()
    {
        _api.Override = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => Provider("x").GetForecastAsync("DE", Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Auth, error.Kind);
    }

    [Fact]
    public async Task GetActualsAsync_ByLocation_ReturnsTheRatingsInThePeriodOldestFirst()
    {
        var start = new DateTimeOffset(2021, 10, 25, 14, 50, 0, TimeSpan.Zero);

        var readings = await Provider("us-east-1").GetActualsAsync("US-EAST", start, start.AddHours(3), CancellationToken.None);

        Assert.Equal(
            [
                new IntensityReading(start, TimeSpan.FromHours(1), 90),
                new IntensityReading(start.AddHours(1), TimeSpan.FromHours(1), 57),
                new IntensityReading(start.AddHours(2), TimeSpan.FromHours(1), 19),
            ],
            readings);

        // bylocation reads time/toTime (startTime/endTime would be ignored).
        Assert.Equal(["/emissions/bylocation?location=us-east-1&time=2021-10-25T14%3A50%3A00Z&toTime=2021-10-25T17%3A50%3A00Z"], _api.Requests);
    }

    [Fact]
    public async Task GetActualsAsync_NoContent_IsEmpty()
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var readings = await Provider("us-east-1").GetActualsAsync("US-EAST", start, start.AddHours(3), CancellationToken.None);

        Assert.Empty(readings);
    }

    [Fact]
    public async Task GetActualsAsync_ServiceUnavailable_IsServer()
    {
        _api.Override = static context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<IntensityProviderException>(
            () => Provider("us-east-1").GetActualsAsync("US-EAST", Now.AddHours(-1), Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Server, error.Kind);
    }

    [Fact]
    public async Task GetActualsAsync_NotAnArray_IsMalformed()
    {
        _api.Override = static context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, """{"location":"us-east-1"}""");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(
            () => Provider("us-east-1").GetActualsAsync("US-EAST", Now.AddHours(-1), Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task GetActualsAsync_PointRepeated_OneReadingForItsPeriod()
    {
        _api.Override = static context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, """
            [{"location":"eastus","time":"2026-01-14T16:00:00+00:00","rating":120.5,"duration":"01:00:00"},
             {"location":"eastus","time":"2026-01-14T17:00:00+00:00","rating":98,"duration":"01:00:00"},
             {"location":"eastus","time":"2026-01-14T16:00:00+00:00","rating":120.5,"duration":"01:00:00"}]
            """);
        var start = new DateTimeOffset(2026, 1, 14, 16, 0, 0, TimeSpan.Zero);

        var readings = await Provider("eastus").GetActualsAsync("US-EAST", start, start.AddHours(2), CancellationToken.None);

        Assert.Equal([new IntensityReading(start, TimeSpan.FromHours(1), 120.5), new IntensityReading(start.AddHours(1), TimeSpan.FromHours(1), 98)], readings);
    }

    [Fact]
    public async Task GetActualsAsync_TwoValuesForOnePeriod_IsMalformed()
    {
        _api.Override = static context => CarbonAwareSdkFakeApi.WriteJsonAsync(context, """
            [{"location":"eastus","time":"2026-01-14T16:00:00+00:00","rating":120.5,"duration":"01:00:00"},
             {"location":"eastus","time":"2026-01-14T16:00:00+00:00","rating":80,"duration":"01:00:00"}]
            """);
        var start = new DateTimeOffset(2026, 1, 14, 16, 0, 0, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(
            () => Provider("eastus").GetActualsAsync("US-EAST", start, start.AddHours(2), CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("two different readings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoUrl_ThrowsBecauseThereIsNoPublicInstance()
    {
        Assert.Throws<ArgumentException>(() => new CarbonAwareSdkProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.CarbonAwareSdk }, _time));
    }

    private CarbonAwareSdkProvider Provider(string? region, HttpClient? http = null, string? tokenFile = null) =>
        new(
            http ?? _http,
            new CarbonZoneOptions { Type = CarbonSourceTypes.CarbonAwareSdk, Url = _api.BaseUrl.ToString(), Region = region, TokenFile = tokenFile },
            _time);
}
