namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// Kepler 0.7-0.9 on two nodes, scraped without <c>honor_labels</c> (the node is in
/// <c>exported_instance</c>). old-1: 4 CPUs, 60 W package and 6 W DRAM at usage 0.25, pod
/// ml/train-0 (12 W). old-2: 8 CPUs, 90 W + 9 W at usage 0.5, one GPU at 250 W (60 W idle), pod
/// ml/gpu-0 (10 W CPU, 150 W GPU). Kepler restarts once on both, and every legacy counter with it.
/// </summary>
public sealed class LegacyCluster : KeplerCluster
{
    /// <inheritdoc />
    protected override IEnumerable<SimulatedKepler> Simulations(Func<TimeProvider> clock)
    {
        var small = new SimulatedKepler(KeplerSchemaVersion.Legacy, time: clock());
        small.AddNode("old-1", cpus: 4, packageWatts: 60, dramWatts: 6, usageRatio: 0.25).AddPod("ml", "train-0", cpuWatts: 12);

        var gpu = new SimulatedKepler(KeplerSchemaVersion.Legacy, time: clock());
        var node = gpu.AddNode("old-2", cpus: 8, packageWatts: 90, dramWatts: 9, usageRatio: 0.5);
        node.AddGpu(watts: 250, idleWatts: 60, productName: "NVIDIA A100-SXM4-80GB");
        node.AddPod("ml", "gpu-0", cpuWatts: 10, gpuWatts: 150);
        return [small, gpu];
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

        // Long enough after the restart for a reading window of 5 s to lie wholly after it.
        await scrapes(7);
    }
}
