using System.Globalization;
using Scheduler.LoadTest.Memory;
using Scheduler.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Scheduler.Reliability.Tests;

/// <summary>
/// The service with every dependency in place (providers, Kepler through Prometheus, the ledger on PostgreSQL, the
/// node watch) under a sustained request rate for minutes, on loopback: no request fails and the ledger drops
/// nothing. Its memory, sampled from its own /metrics, is judged by the load test's steady rule and reported (a
/// measured figure, for docs/reliability.md, not asserted in a timed test). Three minutes by default;
/// <c>RELIABILITY_SOAK_SECONDS</c> sets another length.
/// </summary>
public sealed class SoakTests(ReliabilityWorld world, ITestOutputHelper output) : IClassFixture<ReliabilityWorld>
{
    /// <summary>Requests a second, half /prioritize and half /filter.</summary>
    private const int Rate = 50;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Service_SustainedLoadForMinutes_AnswersEveryRequestAndDropsNoLedgerRecord()
    {
        var seconds = Environment.GetEnvironmentVariable("RELIABILITY_SOAK_SECONDS") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : 180;
        await Until.TrueAsync(async () => await world.ReadyAsync() is (200, "Healthy"), "the service is ready with Kepler read", TimeSpan.FromSeconds(120));

        // JIT, tiering and pool growth first, unmeasured.
        var (warmUp, _) = await LoadPhase.RunAsync(world, Rate, (int)WarmUp.TotalSeconds, () => Task.FromResult(0));
        Assert.Equal(0, warmUp.Errors);

        var sampler = new MemorySampler(world.Client, SampleEvery);
        using var stopSampling = new CancellationTokenSource();
        var sampling = sampler.RunAsync(stopSampling.Token);
        var (load, _) = await LoadPhase.RunAsync(world, Rate, seconds, () => Task.FromResult(0));
        await stopSampling.CancelAsync();
        await sampling;
        await sampler.SampleAsync(CancellationToken.None);

        var samples = sampler.Samples;
        var settle = MemoryTrend.SettleSeconds(seconds);
        var workingSet = MemoryTrend.Of(samples, s => s.WorkingSetBytes, settle);
        var heap = MemoryTrend.Of(samples, s => s.GcHeapBytes, settle);
        var gen2 = samples[^1].Gen2Collections - samples[0].Gen2Collections;
        var cpu = samples[^1].CpuSeconds - samples[0].CpuSeconds;
        var metrics = await world.MetricsAsync();
        Report.Write(output, FormattableString.Invariant(
            $"SOAK | {Rate}/s for {seconds} s | {load} | working set MiB start {workingSet.Start:0.0} end {workingSet.End:0.0} max {workingSet.Max:0.0} slope {workingSet.SlopeMibPerMinute:0.00} settled slope {workingSet.SettledSlopeMibPerMinute:0.00} MiB/min 2nd/1st half peak {workingSet.SecondHalfOverFirstHalf:0.000} steady {workingSet.IsSteady} | GC heap MiB start {heap.Start:0.0} end {heap.End:0.0} max {heap.Max:0.0} settled slope {heap.SettledSlopeMibPerMinute:0.00} | gen2 GCs {gen2:0} | CPU {cpu:0.0} s | {samples.Count} samples | ledger dropped {ReliabilityWorld.Sum(metrics, "carbon_ledger_dropped_total"):0}, queue {ReliabilityWorld.Sum(metrics, "carbon_ledger_queue_length"):0}"));

        Assert.True(load.Errors == 0, $"{load.Errors} of {load.Requests} requests failed: {string.Join(" | ", load.FirstErrors)}");
        Assert.True(load.Requests >= Rate * seconds * 0.99, $"only {load.Requests} requests were sent");
        Assert.Equal(0, ReliabilityWorld.Sum(metrics, "carbon_ledger_dropped_total"));
    }
}
