using Scheduler.Signals.Kepler;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>The Kepler reader against a real Prometheus scraping Kepler 0.7-0.9 exporters with known values.</summary>
public sealed class LegacyReaderTests(LegacyCluster cluster) : IClassFixture<LegacyCluster>
{
    private DateTimeOffset From => cluster.Started.AddSeconds(-5);

    // Now, not later: Prometheus goes on scraping the frozen exporters, and two queries evaluated at
    // one time in the future would see different samples.
    private static DateTimeOffset To => DateTimeOffset.UtcNow;

    [Fact]
    public async Task DetectSchemas_Legacy_IsFoundByItsBuildInfo()
    {
        Assert.Equal([KeplerSchema.Legacy], await cluster.Reader().DetectSchemasAsync(To, default));
    }

    [Fact]
    public async Task ReadNodeEnergy_CountersThatRestartedWithKepler_IsTheEnergyServedWithTheGapEstimated()
    {
        var energy = (await cluster.Reader().ReadNodeEnergyAsync("old-1", From, To, default))!;

        var served = cluster.LastServed("old-1").CpuJoules - cluster.FirstServed("old-1").CpuJoules;
        EnergyAssert.Estimated(served, energy.CpuJoules.Value, watts: 66);

        // Package and DRAM, dynamic and idle: four counters, each restarted once.
        Assert.Equal(4, energy.CounterRepairs.Resets);
        Assert.Equal(ReadingQuality.Estimated, energy.CpuJoules.Quality);
    }

    [Fact]
    public async Task ReadNodeEnergy_Gpu_IsTheDevicesEnergy()
    {
        var energy = (await cluster.Reader().ReadNodeEnergyAsync("old-2", From, To, default))!;

        var served = cluster.LastServed("old-2").GpuJoules[0] - cluster.FirstServed("old-2").GpuJoules[0];
        EnergyAssert.Estimated(served, Assert.Single(energy.GpuJoules).Value.Value, watts: 250);
    }

    [Fact]
    public async Task ReadNodes_NodeInExportedInstance_HasItsPowerLoadAndCpus()
    {
        // Read as the load still ran, up to the moment the exporters were frozen, over a window after
        // Kepler's restart: rate() divides by the whole window, so a window reaching back before the
        // first scrape would understate the load (a real Kepler fills its windows).
        var to = cluster.FrozenAt;
        var reader = cluster.Reader(new KeplerOptions { PrometheusUrl = "http://unused", ReadingWindowSeconds = 5 });
        var readings = (await reader.ReadNodesAsync(to, default)).ToDictionary(r => r.Node);

        Assert.Equal(["old-1", "old-2"], readings.Keys.Order());
        var small = readings["old-1"];
        Assert.Equal(KeplerSchema.Legacy, small.Schema);
        Assert.Equal(4, small.Cpus);
        Assert.Equal("Broadwell", small.CpuModel);
        var energy = (await reader.ReadNodeEnergyAsync("old-1", to.AddSeconds(-5), to, default))!;
        Assert.Equal(energy.CpuJoules.Value / (energy.To - energy.From).TotalSeconds, small.CpuWatts!.Value.Value, 1e-6);
        Assert.Equal(ReadingQuality.Measured, small.CpuWatts.Value.Quality);

        // eBPF CPU time over the CPUs Kepler counts.
        Assert.Equal(0.25, small.CpuUtilisation!.Value, 0.06);

        // The GPU's power is its counter's energy over the same samples; Kepler's idle share is a
        // rate over a few scrapes, which the exporter's response times move by some percent.
        var gpu = Assert.Single(readings["old-2"].Gpus);
        Assert.Equal("0", gpu.Index);
        var gpuEnergy = (await reader.ReadNodeEnergyAsync("old-2", to.AddSeconds(-5), to, default))!;
        Assert.Equal(gpuEnergy.GpuJoules["0"].Value / (gpuEnergy.To - gpuEnergy.From).TotalSeconds, gpu.Watts.Value, 1e-6);
        Assert.Equal(250, gpu.Watts.Value, 250 * 0.25);
        Assert.Equal(60, gpu.IdleWatts!.Value.Value, 60 * 0.25);
    }

    [Fact]
    public async Task ReadPodEnergy_ContainersOfThePod_AreItsCpuAndGpuEnergy()
    {
        var pods = (await cluster.Reader().ReadPodEnergyAsync("ml", ["train-0", "gpu-0"], From, To, default)).ToDictionary(p => p.Pod);

        Assert.Null(pods["train-0"].PodUid);
        EnergyAssert.Estimated(cluster.LastServed("old-1").Pod("train-0").CpuJoules, pods["train-0"].CpuJoules.Value, watts: 12);
        Assert.Equal(0, pods["train-0"].GpuJoules.Value);

        // The legacy container total counts the GPU too; the reader splits it out.
        var served = cluster.LastServed("old-2").Pod("gpu-0");
        EnergyAssert.Estimated(served.CpuJoules, pods["gpu-0"].CpuJoules.Value, watts: 10 + 150);
        EnergyAssert.Estimated(served.GpuJoules, pods["gpu-0"].GpuJoules.Value, watts: 150);
    }

}
