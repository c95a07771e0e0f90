using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.ElectricityMaps;
using Scheduler.Signals.Tests.Providers.Fakes;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Signals.Tests.Fuzz;

/// <summary>
/// The Electricity Maps parser under mutations of the documented v3 answers (carbon-sources.md §2.1;
/// no captured responses exist): <c>forecast</c>, <c>latest</c>, <c>history</c> and <c>past-range</c>,
/// each served through the fake API to the real provider, which returns sane data or throws
/// <see cref="IntensityProviderException"/>, never anything else.
/// </summary>
[Trait("Category", FuzzRun.Category)]
public sealed class ElectricityMapsParserFuzzTests : IAsyncLifetime, IDisposable
{
    private const string Token = "em-fuzz-token";
    private const string Zone = "DE";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 20, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CurrentHour = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PastDay = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _tokenFile = Path.GetTempFileName();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ElectricityMapsFakeServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_tokenFile, Token);
        _server = await ElectricityMapsFakeServer.StartAsync(Token);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        File.Delete(_tokenFile);
    }

    [Fact]
    public void MutatedAnswers_OfEveryEndpoint_GiveSaneDataOrAProviderError()
    {
        var provider = new ElectricityMapsProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.ElectricityMaps, Url = _server.Url, TokenFile = _tokenFile }, _time);
        var forecast = ForecastJson();
        var latest = LatestJson();
        var history = ReadingsJson("history", CurrentHour.AddHours(-23), granularity: null);
        var pastRange = ReadingsJson("data", PastDay, granularity: "hourly");
        FuzzRun.Cases(seed: 31, iterations: 300, (random, _) =>
        {
            // One mutant per endpoint, each answered by the next request: every call makes exactly one.
            var mutants = new[] { forecast, latest, history, pastRange }.Select(json => JsonMutator.Mutate(json, random)).ToArray();
            foreach (var mutant in mutants)
            {
                _server.RespondNext(ProviderCallOutcome.Serve(mutant.Bytes));
            }

            var problem = Named("forecast", mutants[0], ProviderCallOutcome.Forecast(() => provider.GetForecastAsync(Zone, Now, CancellationToken.None)))
                ?? Named("latest", mutants[1], ProviderCallOutcome.Actuals(() => provider.GetActualsAsync(Zone, Now.AddMinutes(-10), Now, CancellationToken.None)))
                ?? Named("history", mutants[2], ProviderCallOutcome.Actuals(() => provider.GetActualsAsync(Zone, Now.AddHours(-20), Now.AddHours(1), CancellationToken.None)))
                ?? Named("past-range", mutants[3], ProviderCallOutcome.Actuals(() => provider.GetActualsAsync(Zone, PastDay, PastDay.AddDays(1), CancellationToken.None)));
            return problem;
        });
    }

    [Theory]
    [InlineData("latest", """{"zone":"\udc00x","carbonIntensity":103,"datetime":"2026-11-23T08:00:00Z"}""", "not valid text")]
    [InlineData("latest", """{"zone":"D|E","carbonIntensity":103,"datetime":"2026-11-23T08:00:00Z"}""", "not valid text")]
    [InlineData("history", """{"zone":"DE","history":[{"carbonIntensity":300,"datetime":"2026-11-23T05:00:00Z"},{"carbonIntensity":310,"datetime":"2026-11-23T05:00:00Z"}]}""", "two different values at 2026-11-23T05:00")]
    public async Task HalfSurrogateInvalidUtf8OrConflictingHour_IsMalformed(string endpoint, string json, string named)
    {
        // Found by the mutation property: a string escaping half a surrogate pair, or holding a byte
        // that is no UTF-8 (| stands for 0xFF here), threw InvalidOperationException; an hour answered
        // twice came back as two readings at one time.
        _server.RespondNext(ProviderCallOutcome.Serve(WithInvalidByte(json)));
        var provider = new ElectricityMapsProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.ElectricityMaps, Url = _server.Url, TokenFile = _tokenFile }, _time);
        var start = endpoint == "latest" ? Now.AddMinutes(-10) : Now.AddHours(-5);

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetActualsAsync(Zone, start, Now, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal($"/v3/carbon-intensity/{endpoint}", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task HourRepeatedWithTheSameValue_IsOneReading()
    {
        _server.RespondNext(ProviderCallOutcome.Serve(Encoding.UTF8.GetBytes("""
            {"zone":"DE","history":[{"carbonIntensity":300,"datetime":"2026-11-23T05:00:00Z"},{"carbonIntensity":300,"datetime":"2026-11-23T05:00:00Z"},{"carbonIntensity":290,"datetime":"2026-11-23T06:00:00Z"}]}
            """)));
        var provider = new ElectricityMapsProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.ElectricityMaps, Url = _server.Url, TokenFile = _tokenFile }, _time);

        var readings = await provider.GetActualsAsync(Zone, Now.AddHours(-5), Now, CancellationToken.None);

        Assert.Equal([new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero)], readings.Select(r => r.Time));
        Assert.Equal([300, 290], readings.Select(r => r.GramsPerKwh));
    }

    private static byte[] WithInvalidByte(string json) =>
        [.. json.Split('|').SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : [0xFF, .. Encoding.UTF8.GetBytes(part)])];

    private static string? Named(string endpoint, JsonMutator.Mutant mutant, string? problem) =>
        problem is null ? null : $"{endpoint}: {problem} (mutations: {mutant.Describe()})";

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // The documented forecast: 24 hourly points from the current hour, with the issue time in updatedAt.
    private static string ForecastJson()
    {
        var points = Enumerable.Range(0, 24).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"carbonIntensity":{{250 + (i * 7 % 90)}},"datetime":"{{Time(CurrentHour.AddHours(i))}}"}"""));
        return $$"""{"zone":"{{Zone}}","forecast":[{{string.Join(",", points)}}],"updatedAt":"{{Time(CurrentHour.AddMinutes(-7))}}"}""";
    }

    private static string LatestJson() =>
        $$"""{"zone":"{{Zone}}","carbonIntensity":103,"datetime":"{{Time(CurrentHour)}}","updatedAt":"{{Time(Now.AddMinutes(-27))}}","emissionFactorType":"lifecycle","isEstimated":true,"estimationMethod":"TIME_SLICER_AVERAGE"}""";

    // history ({"zone","history":[…]}) and past-range ({"zone","data":[…]}): 24 hourly points with the
    // documented fields, one hour without data (null), as the API leaves them.
    private static string ReadingsJson(string arrayName, DateTimeOffset start, string? granularity)
    {
        var points = new StringBuilder();
        for (var i = 0; i < 24; i++)
        {
            var time = start.AddHours(i);
            var value = i == 5 ? "null" : (300 + (i * 11 % 70)).ToString(CultureInfo.InvariantCulture);
            var estimated = i % 4 == 0 ? "true" : "false";
            var method = i % 4 == 0 ? "\"TIME_SLICER_AVERAGE\"" : "null";
            points.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $$"""
                {"zone":"{{Zone}}","carbonIntensity":{{value}},"datetime":"{{Time(time)}}","updatedAt":"{{Time(time.AddMinutes(50))}}","createdAt":"{{Time(time.AddDays(-3))}}","emissionFactorType":"lifecycle","isEstimated":{{estimated}},"estimationMethod":{{method}}}
                """);
        }

        // Newer answers may name their granularity; the parser reads it when present.
        var granularityField = granularity is null ? string.Empty : $",\"temporalGranularity\":\"{granularity}\"";
        return $$"""{"zone":"{{Zone}}","{{arrayName}}":[{{points}}]{{granularityField}}}""";
    }
}
