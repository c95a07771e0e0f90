using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Accounting;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Telemetry;

/// <summary>
/// The savings counters as scraped from <c>GET /metrics</c> of the real extender, for Jobs recorded through its
/// <see cref="IJobLedger"/> into a ledger of the test's own, seeded with actual intensities.
/// </summary>
/// <remarks>
/// The Job: submitted at 12:00 (six hours before <see cref="ExtenderServer.Now"/>) with candidate zones DE and FR, held
/// two hours, run in DE from 14:00 to its completion at 16:00, 10 kWh (36 MJ) measured, and 0.5 kWh spent holding it in
/// FR from 12:00 to 14:00. Hourly actuals: DE 400 then, from 14:00, 30; FR 100 then 80 gCO2eq/kWh. The baseline zone
/// is FR (100 against 400 over 12:00 to 14:00): baseline 10 x 100 = 1,000 g; emitted 10 x 30 = 300 g; its run in FR
/// would have emitted 10 x 80 = 800 g; holding 0.5 x 100 = 50 g. So saved 650 g: 200 g temporal, 500 g spatial.
/// </remarks>
public sealed class SavingsMetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = ExtenderServer.Now;
    private static readonly DateTimeOffset Submitted = Now.AddHours(-6);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RecordingLedger _ledger = new();
    private ExtenderServer? _server;

    private ExtenderServer Server => _server!;

    private FakeTimeProvider Time => (FakeTimeProvider)Server.Services.GetRequiredService<TimeProvider>();

    public async Task InitializeAsync() => _server = await ExtenderServer.StartAsync(s => s.AddSingleton<ILedger>(_ledger));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Scrape_CompletionWrittenWithActualsRecorded_CountsTheHandComputedGrams()
    {
        await SeedActualsAsync();
        RecordJob("uid-1", "ml");

        // The namespace's series appear at zero first, so that increase() sees the first Job's grams.
        var first = await ScrapeUntilAsync(m => m.Value(Jobs("ml", "measured")) is not null, "the namespace's series appear");
        Assert.Equal(0, first.Value(Grams("carbon_emitted_grams_total", "ml")));
        Assert.Equal(0, first.Value(Jobs("ml", "measured")));

        var counted = await ScrapeUntilAsync(m => m.Value(Jobs("ml", "measured")) == 1, "the Job is counted");
        Assert.Equal(300, counted.Value(Grams("carbon_emitted_grams_total", "ml"))!.Value, 1e-9);
        Assert.Equal(1000, counted.Value(Grams("carbon_baseline_grams_total", "ml"))!.Value, 1e-9);
        Assert.Equal(800, counted.Value(Grams("carbon_baseline_zone_run_time_grams_total", "ml"))!.Value, 1e-9);
        Assert.Equal(50, counted.Value(Grams("carbon_holding_grams_total", "ml"))!.Value, 1e-9);
        Assert.Equal(0, counted.Value(Jobs("ml", "estimated")));
        Assert.Equal(0, Server.Services.GetRequiredService<SavingsAccountant>().Waiting);

        // Written again (after a restart of the controller, say), it is not counted twice.
        Server.Services.GetRequiredService<IJobLedger>().RecordCompletion(Completion("uid-1"));
        await WrittenAsync(2);
        var again = await ScrapeAsync();
        Assert.Equal(1, again.Value(Jobs("ml", "measured")));
        Assert.Equal(300, again.Value(Grams("carbon_emitted_grams_total", "ml"))!.Value, 1e-9);
    }

    [Fact]
    public async Task Scrape_ActualsArriveAfterTheCompletion_CountsTheJobOnTheRetryHalfAnHourLater()
    {
        RecordJob("uid-2", "batch");
        await UntilAsync(() => !_ledger.Reads.IsEmpty, "the first try reads the actuals");
        var accountant = Server.Services.GetRequiredService<SavingsAccountant>();
        Assert.Equal(1, accountant.Waiting);
        Assert.Null((await ScrapeAsync()).Value(Jobs("batch", "measured")));

        // The provider publishes the actuals late; the Job is tried again 30 minutes after the first try.
        await SeedActualsAsync();
        Time.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(200);
        Assert.Single(_ledger.Reads);
        Time.Advance(TimeSpan.FromMinutes(1));

        var counted = await ScrapeUntilAsync(m => m.Value(Jobs("batch", "measured")) == 1, "the Job is counted on the retry");
        Assert.Equal(2, _ledger.Reads.Count);
        Assert.Equal(300, counted.Value(Grams("carbon_emitted_grams_total", "batch"))!.Value, 1e-9);
        Assert.Equal(1000, counted.Value(Grams("carbon_baseline_grams_total", "batch"))!.Value, 1e-9);
        Assert.Equal(0, accountant.Waiting);
    }

    [Fact]
    public async Task Scrape_ActualsNeverArrive_JobIsTriedEveryHalfHourForADayThenGivenUp()
    {
        RecordJob("uid-3", "batch");
        var accountant = Server.Services.GetRequiredService<SavingsAccountant>();
        await UntilAsync(() => !_ledger.Reads.IsEmpty, "the first try");

        // 24 h of tries every 30 minutes after the first: 48 more, the last at 24 h.
        for (var tries = 2; tries <= 49; tries++)
        {
            Time.Advance(SavingsAccountant.RetryInterval);
            var expected = tries;
            await UntilAsync(() => _ledger.Reads.Count >= expected, $"try {expected}");
        }

        await UntilAsync(() => accountant.Waiting == 0, "the Job is given up");
        Time.Advance(SavingsAccountant.RetryInterval);
        await Task.Delay(200);
        Assert.Equal(49, _ledger.Reads.Count);
        Assert.Null((await ScrapeAsync()).Value(Jobs("batch", "measured")));
    }

    private static string Grams(string metric, string ns) => $"{metric}{{namespace=\"{ns}\"}}";

    private static string Jobs(string ns, string source) => $"carbon_accounted_jobs_total{{namespace=\"{ns}\",energy_source=\"{source}\"}}";

    private static LedgerCompletion Completion(string uid) =>
        new(uid, Submitted.AddHours(4), "completed", new JobEnergy(30e6, 6e6, EnergySource.Measured), new HoldingEnergy(1.8e6, "FR", Submitted, Submitted.AddHours(2)), 5);

    private void RecordJob(string uid, string ns)
    {
        var jobs = Server.Services.GetRequiredService<IJobLedger>();
        jobs.RecordSubmission(new LedgerSubmission(uid, "Job", ns, "train", null, Submitted, null, TimeSpan.FromHours(2), ["DE", "FR"], Deferred: true));
        jobs.RecordRunStart(uid, Submitted.AddHours(2), "DE", "de-1");
        jobs.RecordCompletion(Completion(uid));
    }

    private Task SeedActualsAsync() =>
        _ledger.RecordActualsAsync(
            [
                .. Enumerable.Range(0, 4).Select(h => new IntensityPoint("DE", Submitted.AddHours(h), h < 2 ? 400 : 30)),
                .. Enumerable.Range(0, 4).Select(h => new IntensityPoint("FR", Submitted.AddHours(h), h < 2 ? 100 : 80)),
            ],
            CancellationToken.None);

    private Task WrittenAsync(int completions) => UntilAsync(() => _ledger.WrittenOf("completion").Count >= completions, $"{completions} completions are written");

    private async Task<MetricsScrape> ScrapeAsync() =>
        MetricsScrape.Parse(await Server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private async Task<MetricsScrape> ScrapeUntilAsync(Func<MetricsScrape, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting until {what}:{Environment.NewLine}{scrape.Lines("carbon_")}");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting until {what}");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
