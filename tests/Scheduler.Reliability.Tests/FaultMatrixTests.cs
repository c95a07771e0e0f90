using System.Globalization;
using Scheduler.Reliability.Tests.Support;
using Xunit.Abstractions;
using static Scheduler.Reliability.Tests.Support.ReliabilityWorld;

namespace Scheduler.Reliability.Tests;

/// <summary>
/// Each outside dependency of the extender made to fail in turn, while kube-scheduler's traffic keeps coming
/// (/prioritize and /filter at a fixed rate): every request is still answered 200 with a contract-valid body well
/// within the scheduler's 2 s budget, the health endpoints say what is wrong where they should, the service uses the
/// dependency again once it is back, and the ledger loses nothing.
/// </summary>
public sealed class FaultMatrixTests(ReliabilityWorld world, ITestOutputHelper output) : IClassFixture<ReliabilityWorld>
{
    /// <summary>Requests a second, half /prioritize and half /filter.</summary>
    private const int Rate = 30;

    /// <summary>The slowest answer allowed: kube-scheduler's httpTimeout is 2 s; this leaves room for a loaded CI machine and still fails a stall.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1.5);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Prometheus_StoppedThenStartedAgain_AnswersInTimeReportsDegradedAndReadsKeplerAgain()
    {
        await WaitUntilSettledAsync();
        var downFor = TimeSpan.FromSeconds(15);
        var (load, (degradedAfter, recovery)) = await LoadPhase.RunAsync(world, Rate, 45, async () =>
        {
            await world.Prometheus.StopAsync();
            var stopped = DateTimeOffset.UtcNow;
            var degraded = await Until.TrueAsync(async () => await world.ReadyAsync() is (200, "Degraded"), "/readyz answers 200 Degraded while Prometheus is down", TimeSpan.FromSeconds(30), StateAsync);
            await Task.Delay(stopped + downFor - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            Assert.Equal((200, "Degraded"), await world.ReadyAsync());
            await world.Prometheus.StartAgainAsync(TimeSpan.FromSeconds(60));
            var started = DateTimeOffset.UtcNow;
            var back = await Until.TrueAsync(
                async () => await world.ReadyAsync() is (200, "Healthy")
                    && Sum(await world.MetricsAsync(), "carbon_kepler_last_reading_timestamp_seconds") > started.ToUnixTimeSeconds(),
                "Kepler is read again and /readyz is Healthy",
                TimeSpan.FromSeconds(45),
                StateAsync);
            return (degraded, back);
        });

        var metrics = await world.MetricsAsync();
        Record("Prometheus stopped 15 s, started again", load, recovery, $"Degraded after {degradedAfter.TotalSeconds:0.0} s; Kepler errors counted {Sum(metrics, "carbon_kepler_errors_total"):0}");
        AssertServed(load);
        Assert.True(Sum(metrics, "carbon_kepler_errors_total") > 0, "the failed Kepler refreshes are counted");
        Assert.Equal(world.NodeNames.Count, Sum(metrics, "carbon_kepler_nodes"));
    }

    [Theory]
    [InlineData(ProviderFault.ServerError, "Server")]
    [InlineData(ProviderFault.RateLimited, "RateLimited")]
    [InlineData(ProviderFault.Garbage, "Malformed")]
    [InlineData(ProviderFault.Hanging, "Timeout")]
    public async Task Providers_EachFailingThenBack_AnswersInTimeReportsTheErrorAndUsesProviderDataAgain(ProviderFault fault, string errorKind)
    {
        await WaitUntilSettledAsync();
        var errorsBefore = Sum(await world.MetricsAsync(), "carbon_provider_errors_total", $"kind=\"{errorKind}\"");
        var faultFor = 2 * CarbonRefresh;
        var (load, (seen, during, recovery)) = await LoadPhase.RunAsync(world, Rate, 50, async () =>
        {
            var started = DateTimeOffset.UtcNow;
            foreach (var front in world.Providers.Values)
            {
                front.Fault = fault;
            }

            IReadOnlyDictionary<string, ZoneState> during = new Dictionary<string, ZoneState>();
            var seen = await Until.TrueAsync(
                async () => (during = await world.ZonesAsync()).Values.All(z => z.LastError == errorKind),
                $"every zone reports its provider's error {errorKind} in /intensity",
                TimeSpan.FromSeconds(40),
                StateAsync);
            Assert.Equal(200, (await world.ReadyAsync()).Status);
            await Task.Delay(started + faultFor - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            foreach (var front in world.Providers.Values)
            {
                front.Fault = ProviderFault.None;
            }

            var cleared = DateTimeOffset.UtcNow;
            var back = await Until.TrueAsync(
                async () => (await world.ZonesAsync()).Values.All(z => z.Origin == "Fresh" && z.LastSuccess > cleared && z.LastError is null),
                "every zone uses its provider's forecast again",
                TimeSpan.FromSeconds(40),
                StateAsync);
            return (seen, during, back);
        });

        var errors = Sum(await world.MetricsAsync(), "carbon_provider_errors_total", $"kind=\"{errorKind}\"") - errorsBefore;
        Record($"every provider answering {fault} for {faultFor.TotalSeconds:0} s", load, recovery, $"error seen in /intensity after {seen.TotalSeconds:0.0} s; zones meanwhile {string.Join(", ", during.Values.Select(z => $"{z.Zone} {z.Origin}"))}; {errors:0} {errorKind} errors counted");
        AssertServed(load);
        Assert.True(world.Providers.Values.All(p => p.FaultedRequests > 0), "every provider was asked during the fault");
        Assert.True(errors >= ReliabilityWorld.Zones.Count, $"carbon_provider_errors_total{{kind=\"{errorKind}\"}} rose by {errors}, less than one per provider");

        // The last good forecast still stands in, so the nodes keep real, not neutral, scores.
        Assert.All(during.Values, z => Assert.Equal("Stale", z.Origin));
    }

    [Fact]
    public async Task Postgres_StoppedAndRestarted_AnswersInTimeAndWritesEveryQueuedRecordAfterwards()
    {
        await WaitUntilSettledAsync();
        var downFor = TimeSpan.FromSeconds(20);
        var (load, outage) = await LoadPhase.RunAsync(world, Rate, 60, async () =>
        {
            await world.Postgres.StopAsync();
            var stopped = DateTimeOffset.UtcNow;
            var atStop = await world.MetricsAsync();
            using var report = await world.Client.GetAsync(new Uri("/reports/savings?format=json", UriKind.Relative));
            Assert.Equal(503, (int)report.StatusCode);
            await Task.Delay(stopped + downFor - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            var atStart = await world.MetricsAsync();
            Assert.Equal(200, (await world.ReadyAsync()).Status);
            await world.Postgres.StartAsync();
            var started = DateTimeOffset.UtcNow;
            var back = await Until.TrueAsync(async () => Sum(await world.MetricsAsync(), "carbon_ledger_queue_length") == 0, "the ledger queue is written out", TimeSpan.FromSeconds(60), StateAsync);
            return new Outage(stopped, started, atStop, atStart, back);
        });

        var metrics = await world.MetricsAsync();
        var queuedSamples = Queued(metrics, "scoring_samples");
        var queuedForecasts = Queued(metrics, "forecast");
        var samplesWhileDown = Queued(outage.AtStart, "scoring_samples") - Queued(outage.AtStop, "scoring_samples");
        var forecastsWhileDown = Queued(outage.AtStart, "forecast") - Queued(outage.AtStop, "forecast");
        var sampleRows = await world.CountAsync("SELECT count(*) FROM ledger_scoring_samples");
        var sampleRowsWhileDown = await world.CountAsync("SELECT count(*) FROM ledger_scoring_samples WHERE at >= @from AND at <= @to", ("from", outage.Stopped.AddSeconds(-1)), ("to", outage.Started.AddSeconds(1)));
        var forecastRows = await world.CountAsync("SELECT count(*) FROM ledger_intensity_forecasts");
        Record(
            $"PostgreSQL stopped {downFor.TotalSeconds:0} s and started again",
            load,
            outage.Back,
            $"queued while down: {samplesWhileDown:0} scoring samples, {forecastsWhileDown:0} forecast points; in the database after: {sampleRows} of {queuedSamples:0} samples ({sampleRowsWhileDown} scored while down), {forecastRows} of {queuedForecasts:0} forecast points; dropped {Sum(metrics, "carbon_ledger_dropped_total"):0}");
        AssertServed(load);
        Assert.True(samplesWhileDown > 0 && forecastsWhileDown > 0, "scoring samples and forecasts were queued while PostgreSQL was down");
        Assert.True(Sum(metrics, "carbon_ledger_writes_total", "outcome=\"failed\"") > 0, "the writes failed while PostgreSQL was down");
        Assert.Equal(0, Sum(metrics, "carbon_ledger_dropped_total"));
        Assert.Equal(0, Sum(metrics, "carbon_ledger_writes_total", "outcome=\"rejected\""));
        Assert.Equal((long)queuedSamples, sampleRows);
        Assert.Equal((long)queuedForecasts, forecastRows);
        Assert.True(sampleRowsWhileDown >= samplesWhileDown, $"{sampleRowsWhileDown} samples scored while down are stored, fewer than the {samplesWhileDown} queued then");
    }

    [Fact]
    public async Task NodeWatch_CutMidStreamAndExpired_AnswersInTimeAndTheCacheFollowsTheClusterAgain()
    {
        await WaitUntilSettledAsync();
        var listsBefore = world.Api.RequestsOf(Kubernetes.Tests.Fakes.ApiRequestKind.List).Count;
        var (load, recovery) = await LoadPhase.RunAsync(world, Rate, 30, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            world.Api.DropWatchConnections();
            world.Api.ExpireHistory();
            world.Api.AddNode(Kubernetes.Tests.Support.TestNodes.Node("de-9", new Dictionary<string, string> { [Kubernetes.Nodes.NodeLabels.GridZone] = "DE" }));
            var back = await Until.TrueAsync(
                async () => Sum(await world.MetricsAsync(), "carbon_node_cache_nodes") == world.NodeNames.Count + 1,
                "the node added after the cut is in the node cache",
                TimeSpan.FromSeconds(30),
                StateAsync);
            Assert.Equal(200, (await world.ReadyAsync()).Status);
            return back;
        });

        var lists = world.Api.RequestsOf(Kubernetes.Tests.Fakes.ApiRequestKind.List).Count - listsBefore;
        Record("node watch cut mid-stream, history expired (410 Gone)", load, recovery, $"{lists} relist(s) after the cut");
        world.Api.DeleteNode("de-9");
        AssertServed(load);
        Assert.True(lists >= 1, "the expired watch made the service list the nodes again");
        await Until.TrueAsync(async () => Sum(await world.MetricsAsync(), "carbon_node_cache_nodes") == world.NodeNames.Count, "the deleted node leaves the cache", TimeSpan.FromSeconds(30), StateAsync);
    }

    private static double Queued(string metrics, string kind) => Sum(metrics, "carbon_ledger_queued_records_total", $"kind=\"{kind}\"");

    private static void AssertServed(LoadFigures load)
    {
        Assert.True(load.Requests > 0);
        Assert.True(load.Errors == 0, $"{load.Errors} of {load.Requests} requests were not answered 200 with a valid body: {string.Join(" | ", load.FirstErrors)}");
        Assert.True(load.Max < Bound.TotalMilliseconds, $"the slowest answer took {load.Max:0} ms, over the {Bound.TotalMilliseconds:0} ms bound");
    }

    // Every dependency in use: forecasts fresh from each provider, Kepler read, the node cache full, the ledger written out.
    private Task WaitUntilSettledAsync() => Until.TrueAsync(
        async () =>
        {
            var metrics = await world.MetricsAsync();
            return await world.ReadyAsync() is (200, "Healthy")
                && (await world.ZonesAsync()).Values.All(z => z.Origin == "Fresh" && z.LastError is null)
                && Sum(metrics, "carbon_kepler_nodes") == world.NodeNames.Count
                && Sum(metrics, "carbon_node_cache_nodes") == world.NodeNames.Count
                && Sum(metrics, "carbon_ledger_queue_length") == 0;
        },
        "every dependency is in use",
        Settle,
        StateAsync);

    private async Task<string> StateAsync()
    {
        try
        {
            var zones = await world.ZonesAsync();
            var metrics = await world.MetricsAsync();
            var ready = await world.ReadyAsync();
            return string.Join(Environment.NewLine,
            [
                $"/readyz {ready.Status} {ready.Text}",
                .. zones.Values.Select(z => $"{z.Zone}: origin {z.Origin}, source {z.Source}, last success {z.LastSuccess:HH:mm:ss}, last error {z.LastError}"),
                string.Create(CultureInfo.InvariantCulture, $"kepler nodes {Sum(metrics, "carbon_kepler_nodes")}, node cache {Sum(metrics, "carbon_node_cache_nodes")}, ledger queue {Sum(metrics, "carbon_ledger_queue_length")}"),
                world.Service.Tail(40),
            ]);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"(state unavailable: {e.Message}){Environment.NewLine}{world.Service.Tail(40)}";
        }
    }

    private void Record(string fault, LoadFigures load, TimeSpan recovery, string notes) =>
        Report.Write(output, FormattableString.Invariant($"FAULT | {fault} | {load} | recovered {recovery.TotalSeconds:0.0} s after the fault ended | {notes}"));

    private sealed record Outage(DateTimeOffset Stopped, DateTimeOffset Started, string AtStop, string AtStart, TimeSpan Back);
}
