using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// Kepler 0.10+ on two nodes, scraped every second by a real Prometheus, without a Kepler restart (so every counter is
/// read whole). m5-1: pods ml/train-0 (40 W, finishes) and ml/train-1 (25 W). g-1, one GPU: pods ml/gpu-0 (10 W CPU,
/// 60 W GPU) and ml/cpu-on-gpu-0 (5 W CPU, no GPU energy).
/// </summary>
public sealed class MeteredJobsCluster : KeplerCluster
{
    /// <summary>The pod of m5-1 that finishes.</summary>
    public SimulatedPod Finishing { get; private set; } = null!;

    /// <summary>The pod of m5-1 still running.</summary>
    public SimulatedPod Running { get; private set; } = null!;

    /// <summary>The GPU pod of g-1.</summary>
    public SimulatedPod Gpu { get; private set; } = null!;

    /// <summary>The pod of g-1 for which Kepler counts no GPU energy.</summary>
    public SimulatedPod CpuOnGpuNode { get; private set; } = null!;

    /// <inheritdoc />
    protected override IEnumerable<SimulatedKepler> Simulations(Func<TimeProvider> clock)
    {
        var cpu = new SimulatedKepler(KeplerSchemaVersion.Rewrite, time: clock());
        var cpuNode = cpu.AddNode("m5-1", cpus: 16, packageWatts: 150, dramWatts: 15, usageRatio: 0.4);
        Finishing = cpuNode.AddPod("ml", "train-0", cpuWatts: 40);
        Running = cpuNode.AddPod("ml", "train-1", cpuWatts: 25);

        var gpu = new SimulatedKepler(KeplerSchemaVersion.Rewrite, time: clock());
        var gpuNode = gpu.AddNode("g-1", cpus: 4, packageWatts: 60, dramWatts: 5, usageRatio: 0.5);
        gpuNode.AddGpu(watts: 70, idleWatts: 8, productName: "Tesla T4");
        Gpu = gpuNode.AddPod("ml", "gpu-0", cpuWatts: 10, gpuWatts: 60);
        CpuOnGpuNode = gpuNode.AddPod("ml", "cpu-on-gpu-0", cpuWatts: 5);
        return [cpu, gpu];
    }

    /// <inheritdoc />
    protected override async Task ScriptAsync(Func<int, Task> scrapes)
    {
        await scrapes(2);
        Exporters["m5-1"].Simulation.Node("m5-1").Terminate(Finishing);
        await scrapes(3);
    }
}
