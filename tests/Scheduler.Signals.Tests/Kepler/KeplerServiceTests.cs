using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Kepler;

public sealed class KeplerServiceTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task RefreshReadings_PrometheusHangs_GivesUpAtTheTimeoutAndCountsIt()
    {
        var release = new TaskCompletionSource();
        await using var hanging = await LoopbackApp.StartAsync(async context => await release.Task.WaitAsync(context.RequestAborted));
        var (service, catalog) = Service(hanging.Url, new KeplerOptions { QueryTimeoutSeconds = 1, MaxRetryAttempts = 1 });

        var started = DateTimeOffset.UtcNow;
        await service.RefreshReadingsAsync(default);
        release.SetResult();

        // One attempt and one retry of a second each, plus the back-off: never the HttpClient's minute.
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15));
        Assert.StartsWith("Timeout", service.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, service.ErrorCounts["Timeout"]);
        Assert.Equal(0, catalog.ReadingCount);
    }

    [Fact]
    public async Task RefreshReadings_ServerAnswersGarbage_IsMalformedAndNotRetried()
    {
        var calls = 0;
        await using var garbage = await LoopbackApp.StartAsync(context =>
        {
            Interlocked.Increment(ref calls);
            return LoopbackApp.Canned(200, "not json", "application/json")(context);
        });
        var (service, _) = Service(garbage.Url, new KeplerOptions { MaxRetryAttempts = 3 });

        await service.RefreshReadingsAsync(default);

        Assert.Equal(1, service.ErrorCounts["Malformed"]);

        // Both build-info queries, each once: a malformed answer is not worth asking again.
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RefreshModels_NoHistory_KeepsThePreviousModels()
    {
        await using var empty = await LoopbackApp.StartAsync(LoopbackApp.Canned(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "application/json"));
        var (service, catalog) = Service(empty.Url, new KeplerOptions());
        var model = new FittedPowerModel("n1", new Core.Power.PowerCurve(100, 200), PowerCurveKind.Linear, 95, 0.9, 500, 5, false, "k", null);
        catalog.UpdateModels([model]);

        await service.RefreshModelsAsync(default);

        Assert.Same(model, catalog.Models["n1"]);
        Assert.Null(service.Status.LastError);
    }

    [Fact]
    public async Task RefreshReadings_InventoryJoinRefused_StillReadsThePower()
    {
        // Prometheus refuses the CPU inventory's join when one scrape target serves several nodes
        // (422, "many-to-many matching not allowed"); every other query answers.
        await using var prometheus = await LoopbackApp.StartAsync(async context =>
        {
            var form = await context.Request.ReadFormAsync();
            string query = form["query"]!;
            context.Response.ContentType = "application/json";
            if (query.Contains("kepler_node_cpu_info", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 422;
                await context.Response.WriteAsync("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"found duplicate series for the match group {instance=\\\"10.0.0.1:28282\\\"} on the right hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side\"}");
                return;
            }

            var result = query switch
            {
                _ when query.StartsWith("count(last_over_time(kepler_build_info", StringComparison.Ordinal) => "[{\"metric\":{},\"value\":[1795400000,\"2\"]}]",
                _ when query.StartsWith("kepler_node_cpu_joules_total", StringComparison.Ordinal) =>
                    "[{\"metric\":{\"__name__\":\"kepler_node_cpu_joules_total\",\"node_name\":\"n1\",\"zone\":\"package\",\"path\":\"/sys/class/powercap/intel-rapl:0\"},\"values\":[[1795399940,\"1000\"],[1795399970,\"4000\"],[1795400000,\"7000\"]]}]",
                _ => "[]",
            };
            var type = query.Contains('[', StringComparison.Ordinal) && !query.Contains('(', StringComparison.Ordinal) ? "matrix" : "vector";
            await context.Response.WriteAsync($"{{\"status\":\"success\",\"data\":{{\"resultType\":\"{type}\",\"result\":{result}}}}}");
        });
        var (service, catalog) = Service(prometheus.Url, new KeplerOptions());

        await service.RefreshReadingsAsync(default);

        Assert.Null(service.Status.LastError);
        var reading = catalog.Readings["n1"];
        Assert.Equal(100, reading.CpuWatts!.Value.Value, 9);
        Assert.Null(reading.Cpus);
    }

    private static (KeplerService Service, MeasuredPowerCatalog Catalog) Service(string url, KeplerOptions settings)
    {
        settings.PrometheusUrl = url;
        var options = Options.Create(settings);
        var reader = new KeplerReader(new PrometheusClient(Http, new Uri(url)), options, KeplerPipeline.Create(settings, TimeProvider.System));
        var catalog = new MeasuredPowerCatalog(options, TimeProvider.System);
        var service = new KeplerService(reader, new PowerModelFitter(options), catalog, options, TimeProvider.System, NullLogger<KeplerService>.Instance);
        return (service, catalog);
    }
}
