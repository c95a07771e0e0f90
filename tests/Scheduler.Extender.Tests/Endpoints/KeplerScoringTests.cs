using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Power;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

/// <summary>
/// The extender reading Kepler through a real Prometheus: a day of de-1's history imported, and a
/// live exporter for de-1 scraped every second. Other nodes have no Kepler.
/// </summary>
public sealed class KeplerScoringTests
{
    [Fact]
    public async Task Prioritize_NodeWithKepler_IsScoredFromItsFittedModelAndTheOthersSayWhyNot()
    {
        await using var kepler = await LiveKeplerAsync();
        await using var server = await ExtenderServer.StartAsync(
            services => services.AddSingleton(TimeProvider.System),
            [.. Settings(kepler.Prometheus.Url)]);

        var nodes = server.Services.GetRequiredService<INodeCache>();
        var measured = nodes.Find("de-1")!.Power;
        Assert.Equal(PowerSource.Measured, measured.Source);
        Assert.Contains("kepler Rewrite: Linear fit", measured.Model, StringComparison.Ordinal);
        Assert.Equal(16, measured.CpuCores);

        // The fitted curve: 60 W idle, 300 W at full load; 4 of 16 CPUs from u = 0.3 add a quarter of 240 W.
        Assert.Equal(60, measured.CpuCurve!.IdleWatts, 60 * 0.05);
        Assert.Equal(60, measured.MarginalWatts(4, 0), 60 * 0.05);

        var fallback = nodes.Find("gb-1")!.Power;
        Assert.Equal(PowerSource.HardwareModel, fallback.Source);
        Assert.Contains("no fresh Kepler readings", fallback.Model, StringComparison.Ordinal);

        using var response = await server.Client.PostAsync(
            new Uri("/prioritize", UriKind.Relative),
            new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["de-1", "gb-1", "fr-1"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_node_power_source_nodes{power_source=\"Measured\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_kepler_nodes{schema=\"Rewrite\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_kepler_power_models{kind=\"Linear\",origin=\"own\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_extender_scored_nodes_total{power_source=\"Measured\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_extender_scored_nodes_total{power_source=\"HardwareModel\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prioritize_PrometheusGoesDown_KeepsAnsweringAndReportsTheFailure()
    {
        var kepler = await LiveKeplerAsync();
        await using var server = await ExtenderServer.StartAsync(
            services => services.AddSingleton(TimeProvider.System),
            [.. Settings(kepler.Prometheus.Url), "--Kepler:MaxRetryAttempts", "0"]);
        Assert.Equal(PowerSource.Measured, server.Services.GetRequiredService<INodeCache>().Find("de-1")!.Power.Source);

        await kepler.DisposeAsync();
        var service = server.Services.GetRequiredService<KeplerService>();
        await service.RefreshReadingsAsync(default);

        Assert.StartsWith("Unavailable", service.Status.LastError, StringComparison.Ordinal);
        using var response = await server.Client.PostAsync(
            new Uri("/prioritize", UriKind.Relative),
            new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["de-1", "gb-1"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Degraded, not unready: the hardware models are a safe fallback.
        using var ready = await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_kepler_errors_total{kind=\"Unavailable\"} 1", metrics, StringComparison.Ordinal);
    }

    private static string[] Settings(string prometheusUrl) =>
    [
        "--Kepler:PrometheusUrl", prometheusUrl,
        "--Kepler:HistoryDays", "1",
        "--Kepler:HistoryStepSeconds", "600",
        "--Kepler:ReadingWindowSeconds", "30",
    ];

    private static async Task<LiveKepler> LiveKeplerAsync()
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(-3);
        var history = new OpenMetricsHistory(
            KeplerSchemaVersion.Rewrite,
            [new SimulatedNodeHistory("de-1", 16, IdleWatts: 60, WattsAtFullLoad: 300, CurveExponent: 1, [])],
            end.AddDays(-1),
            end,
            TimeSpan.FromMinutes(1));
        var simulation = new SimulatedKepler(KeplerSchemaVersion.Rewrite);
        simulation.AddNode("de-1", cpus: 16, packageWatts: 120, dramWatts: 12, usageRatio: 0.3);
        var exporter = await KeplerExporter.StartAsync(simulation);
        try
        {
            var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
            {
                BackfillOpenMetrics = history.ToString(),
                Targets = [exporter.Target()],
            });
            await prometheus.WaitForAsync("count_over_time(kepler_node_cpu_usage_ratio[1m])", v => v >= 3, TimeSpan.FromSeconds(40));
            return new LiveKepler(prometheus, exporter);
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
    }

    private sealed record LiveKepler(PrometheusServer Prometheus, KeplerExporter Exporter) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Prometheus.DisposeAsync();
            await Exporter.DisposeAsync();
        }
    }
}
