using Microsoft.Extensions.Options;
using Polly;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>
/// Power models fitted from history read out of a real Prometheus, into which days of Kepler metrics
/// of nodes with known power curves were imported (promtool), so the fit can be checked against them.
/// </summary>
public sealed class KeplerHistoryTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task FitAll_RewriteHistory_RecoversEachNodesCurve()
    {
        var nodes = new[]
        {
            new SimulatedNodeHistory("lin-1", 32, IdleWatts: 100, WattsAtFullLoad: 400, CurveExponent: 1, []),
            new SimulatedNodeHistory("cvx-1", 64, IdleWatts: 120, WattsAtFullLoad: 520, CurveExponent: 2, []),
        };
        var models = await FitAsync(KeplerSchemaVersion.Rewrite, nodes, TimeSpan.FromMinutes(1), historyStepSeconds: 600);

        var linear = models["lin-1"];
        Assert.Equal(PowerCurveKind.Linear, linear.Kind);
        AssertClose(100, linear.Curve.WattsAt(0), 0.03);
        AssertClose(400, linear.Curve.MaxWatts, 0.03);
        Assert.True(linear.RSquared > 0.95, $"r2 {linear.RSquared}");

        // The idle baseline is what the node drew at its quietest: a low quantile of its power.
        AssertClose(100, linear.IdleBaselineWatts, 0.05);

        var convex = models["cvx-1"];
        Assert.Equal(PowerCurveKind.Quadratic, convex.Kind);
        AssertClose(520, convex.Curve.MaxWatts, 0.04);
        AssertClose(120 + (400 * 0.25), convex.Curve.WattsAt(0.5), 0.05);
        Assert.True(convex.HistoryDays > 1.9, $"days {convex.HistoryDays}");
    }

    [Fact]
    public async Task FitAll_LegacyHistory_RecoversTheCurveFromEbpfLoad()
    {
        var nodes = new[] { new SimulatedNodeHistory("old-1", 8, IdleWatts: 40, WattsAtFullLoad: 160, CurveExponent: 1, []) };
        var models = await FitAsync(KeplerSchemaVersion.Legacy, nodes, TimeSpan.FromMinutes(1), historyStepSeconds: 600);

        var model = models["old-1"];
        Assert.Equal(PowerCurveKind.Linear, model.Kind);
        AssertClose(40, model.Curve.WattsAt(0), 0.05);
        AssertClose(160, model.Curve.MaxWatts, 0.03);
    }

    [Fact]
    public async Task FitAll_GpuHistory_GivesIdleAndBusyPowerPerGpu()
    {
        var nodes = new[]
        {
            new SimulatedNodeHistory("gpu-1", 96, IdleWatts: 150, WattsAtFullLoad: 450, CurveExponent: 1, [new GpuHistory(70, 600, 0.3), new GpuHistory(70, 600, 0.3)]),
        };

        // History points of one data step each, so a busy step is not averaged with idle ones.
        var models = await FitAsync(KeplerSchemaVersion.Rewrite, nodes, TimeSpan.FromMinutes(10), historyStepSeconds: 1200);

        var gpu = models["gpu-1"].Gpu!;
        Assert.Equal(2, gpu.Devices);
        AssertClose(70, gpu.IdleWatts, 0.03);
        AssertClose(600, gpu.ActiveWatts!.Value, 0.03);
    }

    [Fact]
    public async Task ReadHistory_NoKepler_IsEmpty()
    {
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions());

        Assert.Empty(await Reader(prometheus, new KeplerOptions { PrometheusUrl = prometheus.Url }).ReadHistoryAsync(DateTimeOffset.UtcNow, default));
    }

    private static async Task<Dictionary<string, FittedPowerModel>> FitAsync(
        KeplerSchemaVersion schema,
        IReadOnlyList<SimulatedNodeHistory> nodes,
        TimeSpan dataStep,
        int historyStepSeconds)
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(-5);
        var history = new OpenMetricsHistory(schema, nodes, end.AddDays(-2), end, dataStep);
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { BackfillOpenMetrics = history.ToString() });
        var options = new KeplerOptions
        {
            PrometheusUrl = prometheus.Url,
            HistoryDays = 2,
            HistoryStepSeconds = historyStepSeconds,
            IdleQuantile = 0.01,
        };

        var histories = await Reader(prometheus, options).ReadHistoryAsync(DateTimeOffset.UtcNow, default);

        Assert.Equal(nodes.Select(n => n.Node).Order(), histories.Select(h => h.Node).Order());
        return new PowerModelFitter(Options.Create(options))
            .FitAll(histories, new Dictionary<string, string>())
            .ToDictionary(m => m.Node);
    }

    private static KeplerReader Reader(PrometheusServer prometheus, KeplerOptions options) =>
        new(new PrometheusClient(Http, new Uri(prometheus.Url)), Options.Create(options), ResiliencePipeline.Empty);

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected} within {relative:P0}, got {actual}");
}
