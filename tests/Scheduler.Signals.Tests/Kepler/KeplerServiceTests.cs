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
