using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.WattTime;
using Scheduler.Signals.Tests.Providers.Fakes;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Signals.Tests.Fuzz;

/// <summary>
/// The WattTime parser under mutations of the documented v3 answers (carbon-sources.md §2.2; no
/// captured responses exist): <c>/login</c>, <c>/v3/forecast</c> and <c>/v3/historical</c>, each
/// served through the fake API to the real provider, which returns sane data or throws
/// <see cref="IntensityProviderException"/>, never anything else.
/// </summary>
[Trait("Category", FuzzRun.Category)]
public sealed class WattTimeParserFuzzTests : IAsyncLifetime, IDisposable
{
    private const string Username = "scheduler-bot";
    private const string Password = "wt-fuzz-password";
    private const string Region = "CAISO_NORTH";
    private static readonly DateTimeOffset Now = new(2024, 2, 27, 16, 42, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ForecastStart = new(2024, 2, 27, 16, 40, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HistoryStart = new(2024, 2, 27, 14, 0, 0, TimeSpan.Zero);

    // Past the provider's refresh age and the server's lifetime: the next call logs in again.
    private static readonly TimeSpan TokenExpired = WattTimeFakeServer.TokenLifetime + TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _passwordFile = Path.GetTempFileName();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private WattTimeFakeServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_passwordFile, Password);
        _server = await WattTimeFakeServer.StartAsync(Username, Password, _time);
        _server.Set(Region, "forecast", ForecastJson());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        File.Delete(_passwordFile);
    }

    [Fact]
    public void MutatedAnswers_OfLoginForecastAndHistorical_GiveSaneDataOrAProviderError()
    {
        var provider = Provider();
        var forecast = ForecastJson();
        var historical = HistoricalJson();
        const string Login = """{"token":"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzY2hlZHVsZXItYm90In0.c2lnbmF0dXJl"}""";
        FuzzRun.Cases(seed: 37, iterations: 300, (random, _) =>
        {
            var forecastMutant = JsonMutator.Mutate(forecast, random);
            _server.RespondNext("/v3/forecast", ProviderCallOutcome.Serve(forecastMutant.Bytes));
            var problem = Named("forecast", forecastMutant, ProviderCallOutcome.Forecast(() => provider.GetForecastAsync("us-west", Now, CancellationToken.None)));

            var historicalMutant = JsonMutator.Mutate(historical, random);
            _server.RespondNext("/v3/historical", ProviderCallOutcome.Serve(historicalMutant.Bytes));
            problem ??= Named("historical", historicalMutant, ProviderCallOutcome.Actuals(() => provider.GetActualsAsync("us-west", HistoryStart, HistoryStart.AddHours(2), CancellationToken.None)));

            // A token the server does not know is refused with 401, and the provider logs in once more
            // (normally answered): the mutated login must end in a forecast or a provider error.
            _time.Advance(TokenExpired);
            var loginMutant = JsonMutator.Mutate(Login, random);
            _server.RespondNext("/login", ProviderCallOutcome.Serve(loginMutant.Bytes));
            problem ??= Named("login", loginMutant, ProviderCallOutcome.Forecast(() => provider.GetForecastAsync("us-west", Now, CancellationToken.None)));
            return problem;
        });
    }

    [Theory]
    [InlineData("""{"token":"a\tb\n"}""")]
    [InlineData("""{"token":"a b"}""")]
    [InlineData("""{"token":"t\u00f6ken"}""")]
    public async Task LoginTokenNoHeaderCanCarry_IsMalformedAndNotKept(string login)
    {
        // Found by the mutation property: such a token was cached, and then every call failed until it
        // aged out (FormatException from the Authorization header for a new-line, else refused or unsendable).
        _server.RespondNext("/login", ProviderCallOutcome.Serve(Encoding.UTF8.GetBytes(login)));
        var provider = Provider();

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("us-west", Now, CancellationToken.None));
        var next = await provider.GetForecastAsync("us-west", Now, CancellationToken.None);

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("not a bearer token", error.Message, StringComparison.Ordinal);
        Assert.Equal(24, next!.Series.Count);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/login"));
    }

    [Theory]
    [InlineData("forecast", """{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":1}],"meta":{"units":"lbs_co2_per_mwh","region":"\ud800"}}""", "not valid text")]
    [InlineData("forecast", """{"data":[{"point_time":"2024-02-27T16:40:00+00:00","value":1}],"meta":{"units":"lbs|"}}""", "not valid text")]
    [InlineData("historical", """{"data":[{"point_time":"2024-02-27T14:00:00+00:00","value":900},{"point_time":"2024-02-27T14:00:00+00:00","value":950}],"meta":{"units":"lbs_co2_per_mwh"}}""", "two different values at 2024-02-27T14:00")]
    public async Task HalfSurrogateInvalidUtf8OrConflictingPeriod_IsMalformed(string endpoint, string json, string named)
    {
        // Found by the mutation property: a string escaping half a surrogate pair, or holding a byte
        // that is no UTF-8 (| stands for 0xFF here), threw InvalidOperationException; a period answered
        // twice came back as two readings at one time.
        byte[] body = [.. json.Split('|').SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : [0xFF, .. Encoding.UTF8.GetBytes(part)])];
        _server.RespondNext($"/v3/{endpoint}", ProviderCallOutcome.Serve(body));
        var provider = Provider();

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => endpoint == "forecast"
            ? provider.GetForecastAsync("us-west", Now, CancellationToken.None)
            : provider.GetActualsAsync("us-west", HistoryStart, HistoryStart.AddHours(1), CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeriodRepeatedWithTheSameValue_IsOneReading()
    {
        _server.Set(Region, "historical", """
            {"data":[{"point_time":"2024-02-27T14:00:00+00:00","value":900},{"point_time":"2024-02-27T14:00:00+00:00","value":900},{"point_time":"2024-02-27T14:05:00+00:00","value":1000}],"meta":{"units":"lbs_co2_per_mwh"}}
            """);

        var readings = await Provider().GetActualsAsync("us-west", HistoryStart, HistoryStart.AddHours(1), CancellationToken.None);

        Assert.Equal([HistoryStart, HistoryStart.AddMinutes(5)], readings.Select(r => r.Time));
        Assert.All(readings, r => Assert.Equal(TimeSpan.FromMinutes(5), r.Duration));
    }

    private WattTimeProvider Provider() =>
        new(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.WattTime, Url = _server.Url, Region = Region, Username = Username, PasswordFile = _passwordFile }, _time);

    private static string? Named(string endpoint, JsonMutator.Mutant mutant, string? problem) =>
        problem is null ? null : $"{endpoint}: {problem} (mutations: {mutant.Describe()})";

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Meta(DateTimeOffset generatedAt) =>
        $$"""{"region":"{{Region}}","signal_type":"co2_moer","model":{"date":"2023-03-01"},"units":"lbs_co2_per_mwh","generated_at":"{{Time(generatedAt)}}","generated_at_period_seconds":300,"data_point_period_seconds":300,"warnings":[]}""";

    // The documented forecast: 5-minute points from the current period (two hours of them), units in meta.
    private static string ForecastJson()
    {
        var points = Enumerable.Range(0, 24).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"point_time":"{{Time(ForecastStart.AddMinutes(5 * i))}}","value":{{200 + (i * 3.7 % 60)}}}"""));
        return $$"""{"data":[{{string.Join(",", points)}}],"meta":{{Meta(ForecastStart)}}}""";
    }

    // The documented historical answer: the forecast's shape, with the optional per-point fields.
    private static string HistoricalJson()
    {
        var points = Enumerable.Range(0, 24).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"point_time":"{{Time(HistoryStart.AddMinutes(5 * i))}}","value":{{900 + (i * 13.1 % 250)}},"frequency":300,"market":"RTM","version":"3.2"}"""));
        return $$"""{"data":[{{string.Join(",", points)}}],"meta":{{Meta(HistoryStart.AddHours(2))}}}""";
    }
}
