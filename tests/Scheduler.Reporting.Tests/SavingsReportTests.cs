using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Reporting.Tests.Support;
using static Scheduler.Reporting.Tests.Support.SeededLedger;

namespace Scheduler.Reporting.Tests;

// The expected grams are worked out by hand in SeededLedger's summary.
public class SavingsReportTests
{
    private static readonly SavingsReportRequest WholeDay = new(Day, Day.AddDays(1));

    [Fact]
    public async Task Json_SeededLedger_GivesTheHandComputedTotals()
    {
        using var report = await JsonAsync(WholeDay);
        var totals = report.RootElement.GetProperty("totals");

        Assert.Equal(4, totals.GetProperty("jobs").GetInt32());
        Assert.Equal(3, totals.GetProperty("accounted").GetInt32());
        Assert.Equal(1, totals.GetProperty("estimatedEnergy").GetInt32());
        Assert.Equal(5, totals.GetProperty("energyKwh").GetDouble(), 6);
        Assert.Equal(700, totals.GetProperty("emittedGrams").GetDouble(), 3);
        Assert.Equal(1700, totals.GetProperty("baselineGrams").GetDouble(), 3);
        Assert.Equal(175, totals.GetProperty("holdingGrams").GetDouble(), 3);
        Assert.Equal(825, totals.GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal(800, totals.GetProperty("temporalSavedGrams").GetDouble(), 3);
        Assert.Equal(200, totals.GetProperty("spatialSavedGrams").GetDouble(), 3);
        Assert.Equal(48.53, totals.GetProperty("savedPercent").GetDouble(), 2);

        var byNamespace = report.RootElement.GetProperty("byNamespace");
        Assert.Equal(825, byNamespace.GetProperty("ml").GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal(0, byNamespace.GetProperty("etl").GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal(2, byNamespace.GetProperty("etl").GetProperty("jobs").GetInt32());
        Assert.Equal(600, report.RootElement.GetProperty("byTeam").GetProperty("vision").GetProperty("savedGrams").GetDouble(), 3);
    }

    [Fact]
    public async Task Json_SeededLedger_ListsEveryJobWithItsSplitAndStatus()
    {
        using var report = await JsonAsync(WholeDay);
        var jobs = report.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);

        Assert.Equal(["nightly", "pending", "train-a", "train-b"], jobs.Keys.Order(StringComparer.Ordinal));
        var a = jobs["train-a"];
        Assert.Equal("A", a.GetProperty("baselineZone").GetString());
        Assert.Equal(100, a.GetProperty("emittedGrams").GetDouble(), 3);
        Assert.Equal(400, a.GetProperty("temporalSavedGrams").GetDouble(), 3);
        Assert.Equal(200, a.GetProperty("spatialSavedGrams").GetDouble(), 3);
        Assert.Equal("measured", a.GetProperty("energySource").GetString());
        Assert.Equal(80, a.GetProperty("plannedIntensity").GetDouble(), 1);
        Assert.Equal(175, jobs["train-b"].GetProperty("holdingGrams").GetDouble(), 3);
        Assert.Equal("estimated", jobs["nightly"].GetProperty("energySource").GetString());
        Assert.Equal("no-energy", jobs["pending"].GetProperty("status").GetString());
        Assert.False(jobs["pending"].TryGetProperty("savedGrams", out _));

        var assumptions = report.RootElement.GetProperty("assumptions").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Contains(assumptions, line => line.Contains("1 of 3 accounted Jobs was estimated", StringComparison.Ordinal));
        Assert.Contains(assumptions, line => line.Contains("1 of 4 Jobs could not be accounted for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_OneNamespace_CoversOnlyItsJobs()
    {
        using var report = await JsonAsync(WholeDay with { Namespace = "etl" });

        Assert.Equal(["nightly", "pending"], report.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(300, report.RootElement.GetProperty("totals").GetProperty("emittedGrams").GetDouble(), 3);
        Assert.Equal(0, report.RootElement.GetProperty("totals").GetProperty("savedGrams").GetDouble(), 3);
    }

    [Fact]
    public async Task Json_OneJob_ShowsItsPlansAndTheForecastItsPlanSaw()
    {
        using var report = await JsonAsync(WholeDay with { Namespace = "ml", Job = "train-a" });
        var job = report.RootElement.GetProperty("job");

        Assert.Equal(600, job.GetProperty("account").GetProperty("savedGrams").GetDouble(), 3);
        var plan = Assert.Single(job.GetProperty("plans").EnumerateArray());
        Assert.Equal("2025-03-01T02:00:00Z", plan.GetProperty("plannedStart").GetString());
        var forecastAt2 = job.GetProperty("forecasts").EnumerateArray().Single(p => p.GetProperty("zone").GetString() == "B" && p.GetProperty("at").GetString() == "2025-03-01T02:00:00Z");
        Assert.Equal(80, forecastAt2.GetProperty("gramsPerKwh").GetDouble());
        var actualAt2 = job.GetProperty("actuals").EnumerateArray().Single(p => p.GetProperty("zone").GetString() == "B" && p.GetProperty("at").GetString() == "2025-03-01T02:00:00Z");
        Assert.Equal(50, actualAt2.GetProperty("gramsPerKwh").GetDouble());
    }

    [Fact]
    public async Task Csv_SeededLedger_OneRowPerJobWithTheHeader()
    {
        var text = await RenderAsync(WholeDay, ReportFormat.Csv);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        var header = lines[0].Split(',');
        var a = lines.Single(l => l.StartsWith("uid-a,", StringComparison.Ordinal)).Split(',');
        string Column(string name) => a[Array.IndexOf(header, name)];
        Assert.Equal("ml", Column("namespace"));
        Assert.Equal("600", Column("saved_g"));
        Assert.Equal("400", Column("temporal_saved_g"));
        Assert.Equal("200", Column("spatial_saved_g"));
        Assert.Equal("B", Column("zones_run"));
        Assert.Equal("2", Column("energy_kwh"));
        Assert.Equal("50", Column("actual_intensity"));
    }

    [Fact]
    public async Task Markdown_SeededLedger_TablesCarryTheTotals()
    {
        var text = await RenderAsync(WholeDay, ReportFormat.Markdown);

        Assert.Contains("# Carbon savings, 2025-03-01T00:00:00Z to 2025-03-02T00:00:00Z", text, StringComparison.Ordinal);
        Assert.Contains("| all Jobs | 4 | 3 | 5 | 700 g | 1.7 kg | 825 g | 48.5 % | 800 g | 200 g | 175 g |", text, StringComparison.Ordinal);
        Assert.Contains("| ml | 2 | 2 | 4 | 400 g | 1.4 kg | 825 g |", text, StringComparison.Ordinal);
        Assert.Contains("## Assumptions", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_EndBeforeStart_IsRefusedWithAMessage()
    {
        var builder = new SavingsReportBuilder(await CreateAsync(), new FakeTimeProvider(Day));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => builder.WriteAsync(new SavingsReportRequest(Day, Day), new CsvReportWriter(TextWriter.Null), CancellationToken.None));

        Assert.Contains("must come after its start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_DryRunJob_IsAccountedAsItRanWithWhatItWouldHaveSaved()
    {
        using var report = JsonDocument.Parse(await RenderAsync(WholeDay with { Namespace = "dry" }, ReportFormat.Json, dryRun: true));
        var job = Assert.Single(report.RootElement.GetProperty("jobs").EnumerateArray());
        var totals = report.RootElement.GetProperty("totals");

        Assert.Equal(700, job.GetProperty("emittedGrams").GetDouble(), 3);
        Assert.Equal(700, job.GetProperty("baselineGrams").GetDouble(), 3);
        Assert.Equal(0, job.GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal(600, job.GetProperty("wouldHaveSavedGrams").GetDouble(), 3);
        Assert.Equal(0, totals.GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal(1, totals.GetProperty("dryRunJobs").GetInt32());
        Assert.Equal(600, totals.GetProperty("wouldHaveSavedGrams").GetDouble(), 3);
    }

    [Fact]
    public async Task Json_NoDryRunJob_HasNoWouldHaveSavedFigure()
    {
        using var report = await JsonAsync(WholeDay);

        Assert.False(report.RootElement.GetProperty("totals").TryGetProperty("wouldHaveSavedGrams", out _));
        Assert.All(report.RootElement.GetProperty("jobs").EnumerateArray(), job => Assert.False(job.TryGetProperty("wouldHaveSavedGrams", out _)));
    }

    [Fact]
    public async Task Csv_DryRunJob_WouldHaveSavedIsTheLastColumn()
    {
        var text = await RenderAsync(WholeDay, ReportFormat.Csv, dryRun: true);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("would_have_saved_g", lines[0].Split(',')[^1]);
        Assert.Equal("600", lines.Single(l => l.StartsWith("uid-e,", StringComparison.Ordinal)).Split(',')[^1]);
        Assert.Equal(string.Empty, lines.Single(l => l.StartsWith("uid-a,", StringComparison.Ordinal)).Split(',')[^1]);
    }

    [Fact]
    public async Task MarkdownAndHtml_DryRunJob_SayWhatItWouldHaveSaved()
    {
        const string Line = "1 dry-run Job was accounted as it ran; held as planned, it would have saved 600 g.";
        var markdown = await RenderAsync(WholeDay, ReportFormat.Markdown, dryRun: true);
        var html = await RenderAsync(WholeDay, ReportFormat.Html, dryRun: true);
        var without = await RenderAsync(WholeDay, ReportFormat.Markdown);

        Assert.Contains(Line, markdown, StringComparison.Ordinal);
        Assert.Contains("<p id=\"dry-run\">" + Line + "</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dry-run Job", without, StringComparison.Ordinal);
    }

    internal static async Task<string> RenderAsync(SavingsReportRequest request, ReportFormat format, bool dryRun = false)
    {
        var builder = new SavingsReportBuilder(await CreateAsync(dryRun), new FakeTimeProvider(Day.AddDays(2)));
        using var output = new MemoryStream();
        await SavingsReportWriters.WriteAsync(builder, request, format, output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async Task<JsonDocument> JsonAsync(SavingsReportRequest request) => JsonDocument.Parse(await RenderAsync(request, ReportFormat.Json));
}
