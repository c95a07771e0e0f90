namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// Kepler 0.10+ on two nodes. cpu-1: 150 W package and 15 W DRAM at usage 0.4, a RAPL counter that
/// starts at 700 J and wraps at 1000 J (every few seconds), pods ml/train-0 (40 W, finishes) and
/// ml/train.v2-1 (25 W). gpu-1: 200 W + 20 W at usage 0.7, two GPUs at 400 W (70 W idle), pod
/// ml/gpu-0 (30 W CPU, 350 W GPU). Kepler restarts once on both nodes.
/// </summary>
public sealed class RewriteCluster : KeplerCluster
{
    /// <summary>The finishing pod of cpu-1.</summary>
    public SimulatedPod Finishing { get; private set; } = null!;

    /// <inheritdoc />
    protected override IEnumerable<SimulatedKepler> Simulations(Func<TimeProvider> clock)
    {
        var cpu = new SimulatedKepler(KeplerSchemaVersion.Rewrite, wrapJoules: 1000, raplStartJoules: 700, time: clock());
        var cpuNode = cpu.AddNode("cpu-1", cpus: 16, packageWatts: 150, dramWatts: 15, usageRatio: 0.4);
        Finishing = cpuNode.AddPod("ml", "train-0", cpuWatts: 40);
        cpuNode.AddPod("ml", "train.v2-1", cpuWatts: 25);

        var gpu = new SimulatedKepler(KeplerSchemaVersion.Rewrite, wrapJoules: 1_000_000, raplStartJoules: 5_000, time: clock());
        var gpuNode = gpu.AddNode("gpu-1", cpus: 32, packageWatts: 200, dramWatts: 20, usageRatio: 0.7, cpuModel: "AMD EPYC 9654 96-Core Processor");
        gpuNode.AddGpu(watts: 400, idleWatts: 70);
        gpuNode.AddGpu(watts: 400, idleWatts: 70);
        gpuNode.AddPod("ml", "gpu-0", cpuWatts: 30, gpuWatts: 350);
        return [cpu, gpu];
    }

    /// <inheritdoc />
    protected override async Task ScriptAsync(Func<int, Task> scrapes)
    {
        // Kepler restarts halfway between two scrapes: half a scrape of energy is never counted.
        HalfwayToNextScrape();
        foreach (var exporter in Exporters.Values)
        {
            exporter.Simulation.RestartKepler();
        }

        await scrapes(3);
        Exporters["cpu-1"].Simulation.Node("cpu-1").Terminate(Finishing);
        await scrapes(3);
    }
}
