using Scheduler.Signals.Kepler;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>The Kepler reader against a real Prometheus scraping Kepler 0.10+ exporters with known values.</summary>
public sealed class RewriteReaderTests(RewriteCluster cluster) : IClassFixture<RewriteCluster>
{
    private DateTimeOffset From => cluster.Started.AddSeconds(-5);

    // Now, not later: Prometheus goes on scraping the frozen exporters, and two queries evaluated at
    // one time in the future would see different samples.
    private static DateTimeOffset To => DateTimeOffset.UtcNow;

    [Fact]
    public async Task DetectSchemas_Rewrite_IsFoundByItsBuildInfo()
    {
        Assert.Equal([KeplerSchema.Rewrite], await cluster.Reader().DetectSchemasAsync(To, default));
    }

    [Fact]
    public async Task ReadNodeEnergy_RaplCounterThatWrapped_IsExactlyTheEnergyServed()
    {
        var energy = (await cluster.Reader(Options(wrapJoules: 1000)).ReadNodeEnergyAsync("cpu-1", From, To, default))!;

        var served = cluster.LastServed("cpu-1").CpuJoules - cluster.FirstServed("cpu-1").CpuJoules;
        Assert.Equal(served, energy.CpuJoules.Value, 1e-6);
        Assert.True(energy.CounterRepairs.Wraps >= 1, $"wraps {energy.CounterRepairs.Wraps}");

        // The raw RAPL counter is the hardware's: Kepler's restart does not touch it, nothing is estimated.
        Assert.Equal(0, energy.CounterRepairs.Resets);
        Assert.Equal(ReadingQuality.Measured, energy.CpuJoules.Quality);
    }

    [Fact]
    public async Task ReadNodeEnergy_GpuNode_IsEachDevicesEnergyServed()
    {
        var energy = (await cluster.Reader().ReadNodeEnergyAsync("gpu-1", From, To, default))!;

        var first = cluster.FirstServed("gpu-1");
        var last = cluster.LastServed("gpu-1");
        Assert.Equal(last.CpuJoules - first.CpuJoules, energy.CpuJoules.Value, 1e-6);
        Assert.Equal(["0", "1"], energy.GpuJoules.Keys.Order());
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(last.GpuJoules[i] - first.GpuJoules[i], energy.GpuJoules[i.ToString(System.Globalization.CultureInfo.InvariantCulture)].Value, 1e-6);
        }
    }

    [Fact]
    public async Task ReadNodeEnergy_UnknownNode_IsNull()
    {
        Assert.Null(await cluster.Reader().ReadNodeEnergyAsync("no-such-node", From, To, default));
    }

    [Fact]
    public async Task ReadPodEnergy_PodThatFinishedAfterAKeplerRestart_IsTheEnergyItUsed()
    {
        var pods = await cluster.Reader().ReadPodEnergyAsync("ml", ["train-0", "train.v2-1"], From, To, default);

        var finished = Assert.Single(pods, p => p.Pod == "train-0");
        Assert.True(finished.Terminated);
        Assert.Equal(cluster.Finishing.Uid, finished.PodUid);
        Assert.Equal(1, finished.CounterRepairs.Resets);

        // The restart cost the counter the energy since the scrape before it; that gap is estimated.
        Assert.Equal(ReadingQuality.Estimated, finished.CpuJoules.Quality);
        EnergyAssert.Estimated(cluster.Finishing.TrueCpuJoules, finished.CpuJoules.Value, watts: 40);
        Assert.Equal(0, finished.GpuJoules.Value);

        // A name with a regex metacharacter is matched literally.
        var running = Assert.Single(pods, p => p.Pod == "train.v2-1");
        Assert.False(running.Terminated);
        EnergyAssert.Estimated(cluster.LastServed("cpu-1").Pod("train.v2-1").CpuJoules, running.CpuJoules.Value, watts: 25);
    }

    [Fact]
    public async Task ReadPodEnergy_GpuPod_HasCpuAndGpuEnergy()
    {
        var pod = Assert.Single(await cluster.Reader().ReadPodEnergyAsync("ml", ["gpu-0"], From, To, default));

        var served = cluster.LastServed("gpu-1").Pod("gpu-0");
        EnergyAssert.Estimated(served.CpuJoules, pod.CpuJoules.Value, watts: 30);
        EnergyAssert.Estimated(served.GpuJoules, pod.GpuJoules.Value, watts: 350);
        Assert.Equal(pod.CpuJoules.Value + pod.GpuJoules.Value, pod.TotalJoules.Value, 1e-9);
    }

    [Fact]
    public async Task ReadPodEnergy_PodKeplerNeverSaw_IsLeftOut()
    {
        Assert.Empty(await cluster.Reader().ReadPodEnergyAsync("ml", ["train-9"], From, To, default));
        Assert.Empty(await cluster.Reader().ReadPodEnergyAsync("other", ["train-0"], From, To, default));
    }

    [Fact]
    public async Task ReadNodes_EachNode_HasItsPowerLoadAndHardware()
    {
        var reader = cluster.Reader(Options(wrapJoules: 1000, windowSeconds: 300));
        var to = To;
        var readings = (await reader.ReadNodesAsync(to, default)).ToDictionary(r => r.Node);

        Assert.Equal(["cpu-1", "gpu-1"], readings.Keys.Order());
        var cpu = readings["cpu-1"];
        Assert.Equal(KeplerSchema.Rewrite, cpu.Schema);
        // The mean power is the energy served over the time Prometheus stamped it with (the scrapes'
        // starts: the exporter's own render times drift from them by its response time).
        var energy = (await reader.ReadNodeEnergyAsync("cpu-1", to.AddSeconds(-300), to, default))!;
        Assert.Equal(cluster.LastServed("cpu-1").CpuJoules - cluster.FirstServed("cpu-1").CpuJoules, energy.CpuJoules.Value, 1e-6);
        Assert.Equal(energy.CpuJoules.Value / (energy.To - energy.From).TotalSeconds, cpu.CpuWatts!.Value.Value, 1e-6);
        Assert.Equal(ReadingQuality.Measured, cpu.CpuWatts.Value.Quality);
        Assert.Equal(0.4, cpu.CpuUtilisation!.Value, 3);
        Assert.Equal(16, cpu.Cpus);
        Assert.Equal(SimulatedKepler.DefaultCpuModel, cpu.CpuModel);
        Assert.Empty(cpu.Gpus);
        Assert.True(cpu.CounterRepairs.Wraps >= 1);

        // Kepler's own split follows its usage ratio; it is not the node's idle baseline.
        var active = cpu.CpuActiveWatts!.Value.Value;
        var idle = cpu.CpuIdleWatts!.Value.Value;
        Assert.Equal(0.4, active / (active + idle), 2);

        var gpu = readings["gpu-1"];
        Assert.Equal(32, gpu.Cpus);
        Assert.Equal("AMD EPYC 9654 96-Core Processor", gpu.CpuModel);
        Assert.Equal(2, gpu.Gpus.Count);
        Assert.All(gpu.Gpus, g =>
        {
            Assert.Equal(SimulatedNode.DefaultGpuName, g.Product);
            Assert.Equal(70, g.IdleWatts!.Value.Value, 3);
            Assert.Equal(330, g.ActiveWatts!.Value.Value, 3);
        });
        Assert.Equal("AMD EPYC 9654 96-Core Processor/32/2xNVIDIA H100 80GB HBM3", gpu.HardwareKey);
    }

    private static KeplerOptions Options(double wrapJoules = KeplerOptions.TypicalRaplRangeJoules, int windowSeconds = 120) =>
        new() { RaplWrapJoules = wrapJoules, ReadingWindowSeconds = windowSeconds, PrometheusUrl = "http://unused" };

}
