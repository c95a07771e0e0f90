using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Files;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Providers.Files;

public sealed class FileIntensityProviderTests : IDisposable
{
    private const string HourlyCsv = """
        Time,Carbon Intensity
        2026-01-01 00:00,100
        2026-01-01 01:00,110
        2026-01-01 02:00,120
        2026-01-01 03:00,130
        """;

    private static readonly DateTimeOffset Midnight = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTime FirstWrite = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _dir = Directory.CreateTempSubdirectory("file-provider-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GetForecastAsync_Csv_StartsAtTheStepContainingNowWithOffsetlessTimesAsUtc()
    {
        var provider = Provider(Write("zone.csv", HourlyCsv));

        var forecast = await provider.GetForecastAsync("DE", Midnight.AddMinutes(70), CancellationToken.None);

        Assert.NotNull(forecast);
        Assert.Equal("DE", forecast.Zone);
        Assert.Equal("file", forecast.Source);
        Assert.Equal(IntensitySignal.Average, forecast.Signal);
        Assert.Equal(Midnight.AddHours(1), forecast.Series.Start);
        Assert.Equal(TimeSpan.FromHours(1), forecast.Series.Step);
        Assert.Equal([110, 120, 130], forecast.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetForecastAsync_NowBeforeTheFile_IsTheWholeFile()
    {
        var provider = Provider(Write("zone.csv", HourlyCsv));

        var forecast = await provider.GetForecastAsync("DE", Midnight.AddDays(-1), CancellationToken.None);

        Assert.Equal(Midnight, forecast!.Series.Start);
        Assert.Equal(4, forecast.Series.Count);
    }

    [Fact]
    public async Task GetForecastAsync_NowAfterTheFile_IsNoData()
    {
        var provider = Provider(Write("zone.csv", HourlyCsv));

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", Midnight.AddHours(4), CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_RealLetsWaitAwhileCsv_ReadsHalfHourSteps()
    {
        var provider = Provider(RepositoryPaths.SharedData("carbon-2025", "gb_2025_ci.csv"));
        var now = new DateTimeOffset(2025, 6, 1, 12, 10, 0, TimeSpan.Zero);

        var forecast = await provider.GetForecastAsync("GB", now, CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), forecast!.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), forecast.Series.Step);
        Assert.True(forecast.Series.Count > 1000);
    }

    [Fact]
    public async Task GetForecastAsync_SdkJsonWithPlaceholderZeros_CutsTheTrailingZeros()
    {
        var provider = Provider(RepositoryPaths.SharedData("provider-responses", "de_casdk-format_2024-03-24.json"));
        var start = new DateTimeOffset(2024, 3, 24, 0, 0, 0, TimeSpan.Zero);

        var forecast = await provider.GetForecastAsync("DE", start, CancellationToken.None);

        // 188 records, of which the last 96 are "Rating": 0 placeholders.
        Assert.Equal(start, forecast!.Series.Start);
        Assert.Equal(TimeSpan.FromMinutes(15), forecast.Series.Step);
        Assert.Equal(92, forecast.Series.Count);
        Assert.Equal(start.AddHours(23), forecast.Series.End);
        Assert.Equal(185.3, forecast.Series[0]);
        Assert.DoesNotContain(0.0, forecast.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetForecastAsync_SdkJsonZeroInsideTheData_IsKept()
    {
        var path = Write("zone.json", """
            {"Emissions":[
              {"Time":"2026-01-01T00:00:00+00:00","Rating":50,"Duration":"01:00:00"},
              {"Time":"2026-01-01T01:00:00+00:00","Rating":0,"Duration":"01:00:00"},
              {"Time":"2026-01-01T02:00:00+00:00","Rating":40,"Duration":"01:00:00"},
              {"Time":"2026-01-01T03:00:00+00:00","Rating":0,"Duration":"01:00:00"}]}
            """);

        var forecast = await Provider(path).GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal([50, 0, 40], forecast!.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetActualsAsync_SdkJsonTopLevelArray_ReturnsTheRegionsRowsInThePeriod()
    {
        var provider = Provider(RepositoryPaths.SharedData("provider-responses", "test-data-aws-emissions.json"), region: "us-east-1");
        var start = new DateTimeOffset(2021, 10, 25, 14, 50, 0, TimeSpan.Zero);

        var readings = await provider.GetActualsAsync("US-EAST", start, start.AddHours(3), CancellationToken.None);

        Assert.Equal(
            [
                new IntensityReading(start, TimeSpan.FromHours(1), 90),
                new IntensityReading(start.AddHours(1), TimeSpan.FromHours(1), 57),
                new IntensityReading(start.AddHours(2), TimeSpan.FromHours(1), 19),
            ],
            readings);
    }

    [Fact]
    public async Task GetForecastAsync_SdkJsonUnknownLocation_IsNoData()
    {
        var provider = Provider(RepositoryPaths.SharedData("provider-responses", "test-data-aws-emissions.json"), region: "mars-1");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("MARS", Midnight, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
        Assert.Contains("no location 'mars-1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_SdkJsonStringRatingsWithBomAndNoDuration_AreRead()
    {
        var path = Write("zone.json", "\uFEFF" + """
            {"Description":"x","Emissions":[
              {"Location":"Sydney","Rating":"0.6","Time":"2026-01-01T00:00:00"},
              {"Location":"Sydney","Rating":"0.7","Time":"2026-01-01T01:00:00"}]}
            """);

        var forecast = await Provider(path, region: "sydney").GetForecastAsync("AU-NSW", Midnight, CancellationToken.None);

        Assert.Equal(Midnight, forecast!.Series.Start);
        Assert.Equal(TimeSpan.FromHours(1), forecast.Series.Step);
        Assert.Equal([0.6, 0.7], forecast.Series.Values.ToArray());
    }

    [Fact]
    public async Task GetForecastAsync_GsfSampleWithIrregularDates_IsMalformedAndSaysWhy()
    {
        // sample-emissions-data.json has quarterly, unevenly spaced Sydney records: not a series.
        var provider = Provider(RepositoryPaths.SharedData("provider-responses", "sample-emissions-data.json"), region: "Sydney");

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("AU-NSW", Midnight, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("evenly spaced", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetForecastAsync_FileWithoutExtension_IsRecognisedByContent()
    {
        var csv = Provider(Write("a", HourlyCsv));
        var json = Provider(Write("b", """[{"Time":"2026-01-01T00:00:00Z","Rating":1,"Duration":"00:30:00"},{"Time":"2026-01-01T00:30:00Z","Rating":2,"Duration":"00:30:00"}]"""));

        var fromCsv = await csv.GetForecastAsync("DE", Midnight, CancellationToken.None);
        var fromJson = await json.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(1), fromCsv!.Series.Step);
        Assert.Equal(TimeSpan.FromMinutes(30), fromJson!.Series.Step);
    }

    [Fact]
    public async Task GetForecastAsync_FileChanged_IsReRead()
    {
        var path = Write("zone.csv", HourlyCsv);
        var provider = Provider(path);
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Write("zone.csv", HourlyCsv.Replace(",100", ",900", StringComparison.Ordinal), FirstWrite.AddMinutes(1));
        var forecast = await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal(900, forecast!.Series[0]);
    }

    [Fact]
    public async Task GetForecastAsync_SameLastWriteTimeAndLength_IsNotReRead()
    {
        var path = Write("zone.csv", HourlyCsv);
        var provider = Provider(path);
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        // Same length, same last-write time: only the stamp is checked, so the cached rows stay.
        Write("zone.csv", HourlyCsv.Replace(",100", ",900", StringComparison.Ordinal), FirstWrite);
        var forecast = await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal(100, forecast!.Series[0]);
    }

    [Fact]
    public async Task GetForecastAsync_MalformedEdit_KeepsTheLastGoodData()
    {
        var path = Write("zone.csv", HourlyCsv);
        var provider = Provider(path);
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Write("zone.csv", "2026-01-01 00:00,abc\n", FirstWrite.AddMinutes(1));
        var forecast = await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);
        var actuals = await provider.GetActualsAsync("DE", Midnight, Midnight.AddHours(1), CancellationToken.None);

        Assert.Equal([100, 110, 120, 130], forecast!.Series.Values.ToArray());
        Assert.Equal([new IntensityReading(Midnight, TimeSpan.FromHours(1), 100)], actuals);
    }

    [Fact]
    public async Task GetForecastAsync_MalformedEditThenFixed_ReadsTheFix()
    {
        var path = Write("zone.json", """[{"Time":"2026-01-01T00:00:00Z","Rating":1,"Duration":"01:00:00"}]""");
        var provider = Provider(path);
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);
        Write("zone.json", """[{"Time":"2026-01-01T00:00:00Z","Rating":""", FirstWrite.AddMinutes(1));
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Write("zone.json", """[{"Time":"2026-01-01T00:00:00Z","Rating":7,"Duration":"01:00:00"}]""", FirstWrite.AddMinutes(2));
        var forecast = await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal([7], forecast!.Series.Values.ToArray());
    }

    [Theory]
    [InlineData("zone.csv", "2026-01-01 00:00,100\n")]
    [InlineData("zone.csv", "not a csv at all\n2026-01-01 00:00,x\n")]
    [InlineData("zone.json", "{\"Emissions\":[")]
    [InlineData("zone.json", "{\"Emissions\":[]}")]
    [InlineData("zone.json", "[{\"Time\":\"2026-01-01T00:00:00Z\",\"Rating\":0,\"Duration\":\"01:00:00\"}]")]
    public async Task GetForecastAsync_MalformedWithNoGoodVersion_IsMalformed(string name, string content)
    {
        var provider = Provider(Write(name, content));

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", Midnight, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Equal("file", error.Provider);
    }

    [Fact]
    public async Task GetForecastAsync_MissingFile_IsNoData()
    {
        var provider = Provider(Path.Combine(_dir, "absent.csv"));

        var error = await Assert.ThrowsAsync<IntensityProviderException>(() => provider.GetForecastAsync("DE", Midnight, CancellationToken.None));

        Assert.Equal(ProviderErrorKind.NoData, error.Kind);
    }

    [Fact]
    public async Task GetForecastAsync_FileRemovedAfterAGoodRead_KeepsTheLastGoodData()
    {
        var path = Write("zone.csv", HourlyCsv);
        var provider = Provider(path);
        await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        File.Delete(path);
        var forecast = await provider.GetForecastAsync("DE", Midnight, CancellationToken.None);

        Assert.Equal(4, forecast!.Series.Count);
    }

    [Fact]
    public async Task GetActualsAsync_Csv_ReturnsTheStepsOverlappingThePeriod()
    {
        var provider = Provider(Write("zone.csv", HourlyCsv));

        var readings = await provider.GetActualsAsync("DE", Midnight.AddMinutes(90), Midnight.AddHours(3), CancellationToken.None);

        Assert.Equal(
            [new IntensityReading(Midnight.AddHours(1), TimeSpan.FromHours(1), 110), new IntensityReading(Midnight.AddHours(2), TimeSpan.FromHours(1), 120)],
            readings);
    }

    [Fact]
    public void Constructor_NoPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FileIntensityProvider(new CarbonZoneOptions { Type = CarbonSourceTypes.File }));
    }

    private static FileIntensityProvider Provider(string path, string? region = null) =>
        new(new CarbonZoneOptions { Type = CarbonSourceTypes.File, Path = path, Region = region });

    private string Write(string name, string content, DateTime? lastWriteUtc = null)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);

        // Set explicitly: file systems with coarse timestamps could otherwise give two quick writes the same time.
        File.SetLastWriteTimeUtc(path, lastWriteUtc ?? FirstWrite);
        return path;
    }
}
