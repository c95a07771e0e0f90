namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A class fixture: one <see cref="PrometheusServer"/> scraping several independent simulated Keplers, each with its
/// own exporter and job, all started together.
/// </summary>
/// <remarks>
/// Prometheus 2.42 applies its scrape targets only on the scrape manager's 5-second reload tick, so a target is
/// first scraped 5 to 6 seconds after Prometheus starts, whatever the scrape interval. Sharing one Prometheus across a
/// class's tests pays that delay once while every scenario accumulates samples at the same time.
/// </remarks>
public sealed class LiveKeplerScenarios : IAsyncLifetime
{
    /// <summary>The job scraping <see cref="Steady"/>.</summary>
    public const string SteadyJob = "steady";

    /// <summary>The job scraping <see cref="Wrapping"/>.</summary>
    public const string WrappingJob = "wrapping";

    /// <summary>The job scraping <see cref="WithGpu"/>.</summary>
    public const string GpuJob = "gpu";

    /// <summary>The job scraping <see cref="WithPod"/>.</summary>
    public const string PodJob = "pod";

    /// <summary>The job scraping <see cref="Legacy"/> with <c>honor_labels: false</c>.</summary>
    public const string LegacyJob = "legacy";

    /// <summary>The job scraping <see cref="Legacy"/> with <c>honor_labels: true</c>.</summary>
    public const string LegacyHonoredJob = "legacy-honored";

    /// <summary>Rewrite: node-a, 100 W package, 10 W DRAM, usage 0.5, no GPU or pod.</summary>
    public KeplerExporter Steady { get; private set; } = null!;

    /// <summary>Rewrite: node-a, 300 W package, 5 W DRAM, the RAPL counter starting at 400 J and wrapping at 500 J.</summary>
    public KeplerExporter Wrapping { get; private set; } = null!;

    /// <summary>Rewrite: node-a, 180 W package, 20 W DRAM, RAPL starting at 250 J and wrapping at 1000 J, one GPU at 300 W (70 W idle).</summary>
    public KeplerExporter WithGpu { get; private set; } = null!;

    /// <summary>Rewrite: node-a, 100 W package, 10 W DRAM, pod ml/train-0 drawing 40 W of CPU.</summary>
    public KeplerExporter WithPod { get; private set; } = null!;

    /// <summary>Legacy: node-a with 4 CPUs, 60 W package, 6 W DRAM, usage 0.25, pod ml/train-0 drawing 12 W.</summary>
    public KeplerExporter Legacy { get; private set; } = null!;

    /// <summary>The Prometheus scraping all of them every second.</summary>
    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Counted by scrape, not by render time, so its power is exact between Prometheus' timestamps.
        var steadyClock = new ScrapeClock(TimeSpan.FromSeconds(1));
        var steady = new SimulatedKepler(KeplerSchemaVersion.Rewrite, time: steadyClock.Time);
        steady.AddNode("node-a", cpus: 8, packageWatts: 100, dramWatts: 10, usageRatio: 0.5);

        var wrapping = new SimulatedKepler(KeplerSchemaVersion.Rewrite, wrapJoules: 500, raplStartJoules: 400);
        wrapping.AddNode("node-a", cpus: 8, packageWatts: 300, dramWatts: 5);

        var withGpu = new SimulatedKepler(KeplerSchemaVersion.Rewrite, wrapJoules: 1000, raplStartJoules: 250);
        withGpu.AddNode("node-a", cpus: 16, packageWatts: 180, dramWatts: 20).AddGpu(watts: 300, idleWatts: 70);

        var withPod = new SimulatedKepler(KeplerSchemaVersion.Rewrite);
        withPod.AddNode("node-a", cpus: 8, packageWatts: 100, dramWatts: 10).AddPod("ml", "train-0", cpuWatts: 40);

        var legacy = new SimulatedKepler(KeplerSchemaVersion.Legacy);
        legacy.AddNode("node-a", cpus: 4, packageWatts: 60, dramWatts: 6, usageRatio: 0.25).AddPod("ml", "train-0", cpuWatts: 12);

        try
        {
            Steady = await KeplerExporter.StartAsync(steady, steadyClock);
            Wrapping = await KeplerExporter.StartAsync(wrapping);
            WithGpu = await KeplerExporter.StartAsync(withGpu);
            WithPod = await KeplerExporter.StartAsync(withPod);
            Legacy = await KeplerExporter.StartAsync(legacy);
            Prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
            {
                Targets =
                [
                    Steady.Target(SteadyJob),
                    Wrapping.Target(WrappingJob),
                    WithGpu.Target(GpuJob),
                    WithPod.Target(PodJob),
                    Legacy.Target(LegacyJob),
                    Legacy.Target(LegacyHonoredJob, honorLabels: true),
                ],
            });
        }
        catch
        {
            // xunit does not dispose a class fixture whose initialisation failed.
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        // Stop the scraper first so no scrape races the exporters' shutdown; each part is disposed once.
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
            Prometheus = null!;
        }

        foreach (var exporter in new[] { Steady, Wrapping, WithGpu, WithPod, Legacy })
        {
            if (exporter is not null)
            {
                await exporter.DisposeAsync();
            }
        }

        (Steady, Wrapping, WithGpu, WithPod, Legacy) = (null!, null!, null!, null!, null!);
    }
}
