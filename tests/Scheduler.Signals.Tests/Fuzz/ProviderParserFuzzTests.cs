using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Providers.CarbonAwareSdk;
using Scheduler.Signals.Providers.Files;
using Scheduler.Signals.Providers.UkNeso;
using Scheduler.Signals.Tests.Providers.Fakes;
using Scheduler.Tests.Shared;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Signals.Tests.Fuzz;

/// <summary>
/// The providers' and Prometheus' parsers under mutations of real responses (dropped fields, swapped
/// types, NaN, infinite and negative numbers, shuffled and repeated entries, truncation, invalid
/// UTF-8): each returns sane data (finite, non-negative intensities on a regular grid, readings in
/// time order) or throws its documented error, never anything else.
/// </summary>
[Trait("Category", FuzzRun.Category)]
public sealed class ProviderParserFuzzTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset NesoDay = new(2023, 12, 3, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(NesoDay);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LoopbackApp? _api;
    private byte[] _answer = [];

    public async Task InitializeAsync() =>
        _api = await LoopbackApp.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(_answer, context.RequestAborted).AsTask();
        });

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("uk-carbonintensity_national_fw48h_2023-12-03.json", null)]
    [InlineData("uk-carbonintensity_regional13-london_fw48h_2023-12-03.json", "13")]
    public Task UkNeso_MutatedAnswers_GiveSaneDataOrMalformed(string file, string? region)
    {
        var provider = new UkNesoProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.UkNeso, Url = _api!.Url, Region = region }, _time);
        return FuzzProvider(file, seed: 17, iterations: 300, provider.GetForecastAsync, provider.GetActualsAsync);
    }

    [Theory]
    [InlineData("de_casdk-format_2024-03-24.json")]
    [InlineData("sample-emissions-data.json")]
    public Task CarbonAwareSdk_MutatedAnswers_GiveSaneDataOrAProviderError(string file)
    {
        var provider = new CarbonAwareSdkProvider(_http, new CarbonZoneOptions { Type = CarbonSourceTypes.CarbonAwareSdk, Url = _api!.Url, Region = "germanywestcentral" }, _time);
        return FuzzProvider(file, seed: 19, iterations: 300, provider.GetForecastAsync, provider.GetActualsAsync);
    }

    [Theory]
    [InlineData("sample-emissions-data.json")]
    [InlineData("test-data-aws-emissions.json")]
    public async Task Files_MutatedContent_GiveSaneDataOrAProviderError(string file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"intensity-{Guid.NewGuid():N}.json");
        try
        {
            var provider = new FileIntensityProvider(new CarbonZoneOptions { Type = CarbonSourceTypes.File, Path = path });
            var original = await File.ReadAllTextAsync(RepositoryPaths.SharedData("provider-responses", file));
            FuzzRun.Cases(seed: 23, iterations: 200, (random, _) =>
            {
                var mutant = JsonMutator.Mutate(original, random);
                File.WriteAllBytes(path, mutant.Bytes);
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(random.Next()));
                var problem = ProviderCallOutcome.Forecast(() => provider.GetForecastAsync("DE", NesoDay, CancellationToken.None))
                    ?? ProviderCallOutcome.Actuals(() => provider.GetActualsAsync("DE", DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), CancellationToken.None));
                return problem is null ? null : $"{problem} (mutations: {mutant.Describe()})";
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""[{"Location":"DE","Time":"2024-03-24T00:00:00Z","Rating":300,"Duration":123456789012345678901234567890}]""", "Duration")]
    [InlineData("""[{"Location":"DE","Time":"2024-03-24T00:00:00Z","Rating":300,"Duration":"\ud800"}]""", "record 0")]
    public async Task Files_DurationBeyondTimeSpanOrHalfASurrogate_IsMalformed(string content, string named)
    {
        // Found by the mutation property: a Duration of 1e29 minutes threw OverflowException, and a
        // string escaping half a surrogate pair InvalidOperationException, instead of Malformed.
        var path = Path.Combine(Path.GetTempPath(), $"intensity-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, content);
        try
        {
            var provider = new FileIntensityProvider(new CarbonZoneOptions { Type = CarbonSourceTypes.File, Path = path });

            var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", NesoDay, CancellationToken.None));

            Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Prometheus_MutatedRangeQuery_GivesFiniteSamplesOrPrometheusException()
    {
        var original = await File.ReadAllTextAsync(RepositoryPaths.SharedData("kepler", "kepler-0.7-prom-query_range-idle.json"));
        FuzzRun.Cases(seed: 29, iterations: 150, (random, _) =>
        {
            var mutant = JsonMutator.Mutate(original, random);
            try
            {
                var series = PrometheusResponseReader.Read(mutant.Bytes);
                var bad = series.SelectMany(s => s.Points).FirstOrDefault(p => !double.IsFinite(p.Value));
                return bad == default ? null : $"a sample of {bad.Value} was passed on (mutations: {mutant.Describe()})";
            }
            catch (PrometheusException)
            {
                return null;
            }
            catch (Exception e)
            {
                return $"threw {e.GetType().Name}: {e.Message} (mutations: {mutant.Describe()})\n{e.StackTrace}";
            }
        });
    }

    private async Task FuzzProvider(
        string file,
        ulong seed,
        int iterations,
        Func<string, DateTimeOffset, CancellationToken, Task<IntensityForecast?>> forecast,
        Func<string, DateTimeOffset, DateTimeOffset, CancellationToken, Task<IReadOnlyList<IntensityReading>>> actuals)
    {
        var original = await File.ReadAllTextAsync(RepositoryPaths.SharedData("provider-responses", file));
        FuzzRun.Cases(seed, iterations, (random, _) =>
        {
            var mutant = JsonMutator.Mutate(original, random);
            _answer = mutant.Bytes;
            var problem = ProviderCallOutcome.Forecast(() => forecast("GB", NesoDay, CancellationToken.None))
                ?? ProviderCallOutcome.Actuals(() => actuals("GB", NesoDay, NesoDay.AddDays(2), CancellationToken.None));
            return problem is null ? null : $"{problem} (mutations: {mutant.Describe()})";
        });
    }
}
