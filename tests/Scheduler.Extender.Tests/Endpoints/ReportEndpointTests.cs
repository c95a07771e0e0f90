using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Scheduler.Core.Accounting;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Endpoints;

/// <summary>
/// <c>GET /reports/savings</c> on the real service, over a ledger seeded through DI with one Job worked out by hand:
/// ml/train-a could run in zone A only, was submitted at 00:00 and ran 02:00-04:00 on 2 kWh (measured). Zone A's
/// actual intensity is 400, 300, 100, 200 and then 250 gCO2eq/kWh by hour: run at submission it would have emitted
/// 2 kWh x 350 = 700 g; it emitted 2 kWh x 150 = 300 g, so 400 g were saved.
/// </summary>
public sealed class ReportEndpointTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private const string WholeDay = "from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z";

    private ExtenderServer? _server;

    private HttpClient Client => _server!.Client;

    public async Task InitializeAsync()
    {
        var ledger = new InMemoryLedger();
        var none = CancellationToken.None;
        double[] zoneA = [400, 300, 100, 200, .. Enumerable.Repeat(250.0, 20)];
        await ledger.RecordActualsAsync([.. zoneA.Select((value, hour) => new IntensityPoint("A", Day.AddHours(hour), value))], none);
        await ledger.RecordSubmissionAsync(new LedgerSubmission("uid-a", "Job", "ml", "train-a", "vision", Day, Day.AddHours(12), TimeSpan.FromHours(2), ["A"], true), none);
        await ledger.RecordRunStartAsync("uid-a", Day.AddHours(2), "A", "a-1", none);
        await ledger.RecordCompletionAsync(new LedgerCompletion("uid-a", Day.AddHours(4), "completed", new JobEnergy(7_200_000, 0, EnergySource.Measured), null, null), none);
        _server = await ExtenderServer.StartAsync(s => s.AddSingleton<ILedger>(ledger));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Get_Json_AnswersTheTotalsOfThePeriod()
    {
        using var response = await Client.GetAsync(new Uri($"/reports/savings?{WholeDay}&format=json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var totals = report.RootElement.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("jobs").GetInt32());
        Assert.Equal(1, totals.GetProperty("accounted").GetInt32());
        Assert.Equal(2, totals.GetProperty("energyKwh").GetDouble(), 6);
        Assert.Equal(700, totals.GetProperty("baselineGrams").GetDouble(), 3);
        Assert.Equal(300, totals.GetProperty("emittedGrams").GetDouble(), 3);
        Assert.Equal(400, totals.GetProperty("savedGrams").GetDouble(), 3);
        Assert.Equal("train-a", report.RootElement.GetProperty("jobs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_Csv_AnswersAHeaderAndARowPerJobAsCsv()
    {
        using var response = await Client.GetAsync(new Uri($"/reports/savings?{WholeDay}&format=csv&namespace=ml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("carbon-savings-20250301-20250302.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("train-a", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NoFormat_AnswersTheHtmlPage()
    {
        using var response = await Client.GetAsync(new Uri($"/reports/savings?{WholeDay}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("train-a", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=yesterday", "from 'yesterday' is not an ISO 8601 time")]
    [InlineData("from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z", "must come after its start")]
    [InlineData("format=pdf", "format 'pdf' must be one of html, csv, json, md")]
    [InlineData("job=train-a", "give the namespace too")]
    public async Task Get_BadQuery_Answers400WithTheProblem(string query, string problem)
    {
        using var response = await Client.GetAsync(new Uri($"/reports/savings?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(problem, body.RootElement.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("html")]
    public async Task Get_LedgerDown_Answers503WithTheReason(string format)
    {
        var ledger = Substitute.For<ILedger>();
        ledger.ReadActualsAsync(default!, default, default, default).ThrowsAsyncForAnyArgs(new IOException("connection refused"));
        await using var server = await ExtenderServer.StartAsync(s => s.AddSingleton(ledger));

        using var response = await server.Client.GetAsync(new Uri($"/reports/savings?format={format}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("the carbon ledger could not be read: connection refused", body.RootElement.GetProperty("Error").GetString());
    }
}
