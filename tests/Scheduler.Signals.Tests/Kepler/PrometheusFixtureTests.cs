using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>
/// The Kepler fixtures against the real Prometheus and promtool binaries. The scraping tests share one Prometheus
/// (<see cref="LiveKeplerScenarios"/>), since each new one is first scraped only after about 6 seconds.
/// </summary>
public sealed class PrometheusFixtureTests(LiveKeplerScenarios live) : IClassFixture<LiveKeplerScenarios>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly LiveKeplerScenarios _live = live;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Rewrite_ScrapedEverySecond_CounterGrowsAtTheSimulatedPower()
    {
        var prometheus = _live.Prometheus;
        await prometheus.WaitForAsync("count_over_time(up{job=\"steady\"}[1h])", v => v >= 3, Patience);

        var increase = await InstantValueAsync(prometheus, "increase(kepler_node_cpu_active_joules_total{job=\"steady\",node_name=\"node-a\",zone=\"package\"}[1h])");
        Assert.True(increase > 0, $"increase was {increase}");
        var samples = RawSamples(Assert.Single(await QueryAsync(prometheus, "kepler_node_cpu_active_joules_total{job=\"steady\",node_name=\"node-a\",zone=\"package\"}[1h]")));
        Assert.True(samples.Count >= 3);
        Assert.Equal(0, samples[0].Value);

        // 100 W × usage 0.5 is active, counted by the exporter's scrape clock: exactly 50 J per second stamped.
        var watts = (samples[^1].Value - samples[0].Value) / (samples[^1].Time - samples[0].Time);
        Assert.Equal(50, watts, 0.01);
    }

    [Fact]
    public async Task Rewrite_TinyWrap_RawRaplCounterDecreasesInPrometheus()
    {
        var prometheus = _live.Prometheus;
        await prometheus.WaitForAsync("count_over_time(up{job=\"wrapping\"}[1h])", v => v >= 3, Patience);

        var samples = RawSamples(Assert.Single(await QueryAsync(prometheus, "kepler_node_cpu_joules_total{job=\"wrapping\",zone=\"package\"}[1h]")));
        Assert.Equal(400, samples[0].Value);
        Assert.All(samples, s => Assert.InRange(s.Value, 0, 500));
        Assert.Contains(samples.Zip(samples.Skip(1)), pair => pair.Second.Value < pair.First.Value);
        Assert.True(await InstantValueAsync(prometheus, "resets(kepler_node_cpu_joules_total{job=\"wrapping\",zone=\"package\"}[1h])") >= 1);
        Assert.Equal(0, await InstantValueAsync(prometheus, "resets(kepler_node_cpu_active_joules_total{job=\"wrapping\",zone=\"package\"}[1h])"));
    }

    [Fact]
    public async Task ServedScrapes_InOrder_AreTheRawSamplesPrometheusStored()
    {
        var prometheus = _live.Prometheus;
        await prometheus.WaitForAsync("count_over_time(up{job=\"gpu\"}[1h])", v => v >= 3, Patience);

        var gpu = RawSamples(Assert.Single(await QueryAsync(prometheus, "kepler_node_gpu_joules_total{job=\"gpu\"}[1h]")));
        var rapl = RawSamples(Assert.Single(await QueryAsync(prometheus, "kepler_node_cpu_joules_total{job=\"gpu\",zone=\"package\"}[1h]")));
        var served = _live.WithGpu.Simulation.ServedScrapes;

        // Prometheus may have scraped once more since the query; every stored sample is one served scrape, in order.
        Assert.True(served.Count >= gpu.Count);
        for (var i = 0; i < gpu.Count; i++)
        {
            var truth = served[i].Node("node-a");
            Assert.Equal(truth.GpuJoules[0], gpu[i].Value);
            Assert.Equal((250 + truth.PackageJoules) % 1000, rapl[i].Value, 9);
            Assert.InRange((served[i].RenderedAt.ToUnixTimeMilliseconds() / 1000.0) - gpu[i].Time, 0, 1);
        }
    }

    [Fact]
    public async Task Legacy_ScrapedWithAndWithoutHonorLabels_NodeIsInExportedInstanceOrInstance()
    {
        var prometheus = _live.Prometheus;
        await prometheus.WaitForAsync("min(count_over_time(up{job=~\"legacy|legacy-honored\"}[1h]))", v => v >= 2, Patience);

        var renamed = Labels(Assert.Single(await QueryAsync(prometheus, "kepler_node_package_joules_total{job=\"legacy\",mode=\"dynamic\"}")));
        Assert.Equal("node-a", renamed["exported_instance"]);
        Assert.Equal(_live.Legacy.HostPort, renamed["instance"]);

        var honored = Labels(Assert.Single(await QueryAsync(prometheus, "kepler_node_package_joules_total{job=\"legacy-honored\",mode=\"dynamic\"}")));
        Assert.Equal("node-a", honored["instance"]);
        Assert.False(honored.ContainsKey("exported_instance"));

        Assert.Equal(4, await InstantValueAsync(prometheus, "count(kepler_node_cpu_scaling_frequency_hertz{job=\"legacy\",exported_instance=\"node-a\"})"));

        // The container's source="" is an empty label, which Prometheus does not store.
        var container = Labels(Assert.Single(await QueryAsync(prometheus, "kepler_container_joules_total{job=\"legacy\",pod_name=\"train-0\",mode=\"dynamic\"}")));
        Assert.False(container.ContainsKey("source"));
        Assert.Equal("ml", container["container_namespace"]);
    }

    [Fact]
    public async Task Rewrite_TerminatedPod_IsStoredForOneScrapeThenStale()
    {
        var prometheus = _live.Prometheus;
        var node = _live.WithPod.Simulation.Node("node-a");
        var pod = node.Pods.Single(p => p.Name == "train-0");
        await prometheus.WaitForAsync("count_over_time(up{job=\"pod\"}[1h])", v => v >= 2, Patience);

        node.Terminate(pod);
        var terminatedAt = _live.WithPod.ScrapeCount;
        await prometheus.WaitForAsync("count_over_time(up{job=\"pod\"}[1h])", v => v >= terminatedAt + 2, Patience);

        var series = await QueryAsync(prometheus, "kepler_pod_cpu_joules_total{job=\"pod\",pod_name=\"train-0\"}[1h]");
        var running = RawSamples(series.Single(s => Labels(s)["state"] == "running"));
        var terminated = Assert.Single(RawSamples(series.Single(s => Labels(s)["state"] == "terminated")));
        Assert.Equal(pod.TrueCpuJoules, terminated.Value);
        Assert.True(terminated.Value >= running[^1].Value);
        Assert.Equal(SimulatedPodState.Gone, pod.State);

        // Both series got a staleness marker, so an instant query no longer sees the pod, but range functions still do.
        Assert.Empty(await QueryAsync(prometheus, "kepler_pod_cpu_joules_total{job=\"pod\",pod_name=\"train-0\"}"));
        Assert.Equal(pod.TrueCpuJoules, await InstantValueAsync(prometheus, "max(max_over_time(kepler_pod_cpu_joules_total{job=\"pod\",pod_name=\"train-0\"}[1h]))"));
    }

    [Fact]
    public async Task Backfill_ThreeDaysOfRewriteHistory_QueryRangeReturnsEveryStep()
    {
        // Steps on multiples of 5 minutes line up with the subquery's steps below.
        var end = Truncate(DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMinutes(5));
        var start = end.AddDays(-3);
        var history = new OpenMetricsHistory(
            KeplerSchemaVersion.Rewrite,
            [
                new SimulatedNodeHistory("node-a", Cpus: 32, IdleWatts: 90, WattsAtFullLoad: 310, CurveExponent: 1.3, Gpus: [new GpuHistory(IdleWatts: 70, BusyWatts: 650, BusyFraction: 0.4)]),
                new SimulatedNodeHistory("node-b", Cpus: 16, IdleWatts: 50, WattsAtFullLoad: 140, CurveExponent: 1, Gpus: []),
            ],
            start,
            end);
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { BackfillOpenMetrics = history.ToString() });

        var result = await QueryRangeAsync(prometheus, "kepler_node_cpu_usage_ratio{node_name=\"node-a\"}", start, end, history.Step);

        var points = RawSamples(Assert.Single(result));
        Assert.Equal(3 * 288 + 1, history.StepCount);
        Assert.Equal(history.StepCount, points.Count);
        var truth = history.Steps("node-a");
        Assert.Equal(truth.Select(s => s.Utilisation), points.Select(p => p.Value));
        Assert.Equal(truth.Select(s => (double)s.Time.ToUnixTimeSeconds()), points.Select(p => p.Time));
        Assert.Equal(truth[^1].CpuJoules, await InstantValueAsync(prometheus, "sum(kepler_node_cpu_joules_total{node_name=\"node-a\"})", end), 1e-6);
        Assert.Equal(truth[^1].GpuJoules[0], await InstantValueAsync(prometheus, "kepler_node_gpu_joules_total{node_name=\"node-a\"}", end), 1e-6);

        // The quiet steps each night put the lowest power within a watt of the model's idle power.
        Assert.InRange(await InstantValueAsync(prometheus, "min_over_time(sum(rate(kepler_node_cpu_joules_total{node_name=\"node-a\"}[5m]))[3d:5m])", end), 90, 91);
    }

    [Fact]
    public async Task Backfill_LegacyHistoryFromAFile_CountsCpusPerExportedInstance()
    {
        var end = Truncate(DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMinutes(5));
        var start = end.AddDays(-1);
        var history = new OpenMetricsHistory(
            KeplerSchemaVersion.Legacy,
            [
                new SimulatedNodeHistory("node-a", Cpus: 8, IdleWatts: 40, WattsAtFullLoad: 120, CurveExponent: 1, Gpus: [new GpuHistory(60, 400, 0.5)]),
                new SimulatedNodeHistory("node-b", Cpus: 4, IdleWatts: 30, WattsAtFullLoad: 80, CurveExponent: 0.8, Gpus: []),
            ],
            start,
            end);
        var file = Path.GetTempFileName();
        try
        {
            history.WriteTo(file);
            await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { BackfillFile = file });

            var cpus = await QueryAsync(prometheus, "count by (exported_instance) (kepler_node_cpu_scaling_frequency_hertz)", end);
            Assert.Equal(
                new Dictionary<string, double> { ["node-a"] = 8, ["node-b"] = 4 },
                cpus.ToDictionary(s => Labels(s)["exported_instance"], s => RawSamples(s)[0].Value));
            var idle = await QueryRangeAsync(prometheus, "kepler_node_package_joules_total{exported_instance=\"node-b\",mode=\"idle\"}", start, end, history.Step);
            Assert.Equal(history.StepCount, RawSamples(Assert.Single(idle)).Count);
            var series = Labels(Assert.Single(idle));
            Assert.Equal("node-b:9102", series["instance"]);
            Assert.Equal("kepler", series["job"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void SimulatedKepler_Restart_ZeroesKeplerCountersButNotHardwareCounters()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var simulation = new SimulatedKepler(KeplerSchemaVersion.Rewrite, raplStartJoules: 1000, time: clock);
        var node = simulation.AddNode("node-a", cpus: 4, packageWatts: 100, dramWatts: 10, usageRatio: 0.25);
        node.AddGpu(watts: 200, idleWatts: 50);
        var pod = node.AddPod("ml", "train-0", cpuWatts: 20, gpuWatts: 150);
        simulation.Scrape();
        clock.Advance(TimeSpan.FromSeconds(10));

        simulation.RestartKepler();
        clock.Advance(TimeSpan.FromSeconds(2));
        var text = simulation.Scrape();

        Assert.Equal(1000 + 1200, Value(text, "kepler_node_cpu_joules_total{node_name=\"node-a\",path=\"/sys/class/powercap/intel-rapl:0\",zone=\"package\"}"));
        Assert.Equal(2400, Value(text, "kepler_node_gpu_joules_total{gpu=\"0\",gpu_name=\"NVIDIA H100 80GB HBM3\",gpu_uuid=\"GPU-00000001-0000-4000-8000-000000000000\",node_name=\"node-a\",vendor=\"nvidia\"}"));
        Assert.Equal(50, Value(text, "kepler_node_cpu_active_joules_total{node_name=\"node-a\",path=\"/sys/class/powercap/intel-rapl:0\",zone=\"package\"}"));
        Assert.Equal(40, Value(text, $"kepler_pod_cpu_joules_total{{node_name=\"node-a\",pod_id=\"{pod.Uid}\",pod_name=\"train-0\",pod_namespace=\"ml\",state=\"running\",zone=\"package\"}}"));
        Assert.Equal(240, pod.TrueCpuJoules);
        Assert.Equal(1200, simulation.ServedScrapes[^1].Node("node-a").PackageJoules);
    }

    private static DateTimeOffset Truncate(DateTimeOffset time, TimeSpan unit) => new(time.UtcTicks - (time.UtcTicks % unit.Ticks), TimeSpan.Zero);

    private static double Value(string exposition, string series)
    {
        var line = Assert.Single(exposition.Split('\n'), l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> Labels(JsonElement series) =>
        series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>The samples of one series of a range vector or matrix (<c>values</c>) or of an instant vector (<c>value</c>).</summary>
    private static List<(double Time, double Value)> RawSamples(JsonElement series)
    {
        var points = series.TryGetProperty("values", out var values) ? values.EnumerateArray().ToList() : [series.GetProperty("value")];
        return [.. points.Select(p => (p[0].GetDouble(), double.Parse(p[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    private async Task<double> InstantValueAsync(PrometheusServer prometheus, string promql, DateTimeOffset? time = null) =>
        RawSamples(Assert.Single(await QueryAsync(prometheus, promql, time)))[0].Value;

    private async Task<IReadOnlyList<JsonElement>> QueryAsync(PrometheusServer prometheus, string promql, DateTimeOffset? time = null)
    {
        var at = time is { } t ? $"&time={t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return await ResultAsync(new Uri($"{prometheus.Url}/api/v1/query?query={Uri.EscapeDataString(promql)}{at}"));
    }

    private async Task<IReadOnlyList<JsonElement>> QueryRangeAsync(PrometheusServer prometheus, string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var range = string.Create(CultureInfo.InvariantCulture, $"&start={start.ToUnixTimeSeconds()}&end={end.ToUnixTimeSeconds()}&step={step.TotalSeconds}");
        return await ResultAsync(new Uri($"{prometheus.Url}/api/v1/query_range?query={Uri.EscapeDataString(promql)}{range}"));
    }

    private async Task<IReadOnlyList<JsonElement>> ResultAsync(Uri uri)
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync(uri));
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        return [.. json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
    }
}
