using Scheduler.Core.Power;
using Scheduler.Core.Scoring;

namespace Scheduler.Core.Tests.Scoring;

/// <summary>Node descriptions for scoring tests.</summary>
internal static class Nodes
{
    /// <summary>A CPU node whose dynamic power is 10 W per core.</summary>
    public static NodeDescription Cpu(string name, string? zone, double cores = 16) =>
        new(name, zone, new NodePowerProfile(cores, 0, cores * 10, null, PowerSource.HardwareModel, "test-cpu"));

    /// <summary>A GPU node: 10 W per core, GPUs of the given active watts.</summary>
    public static NodeDescription Gpu(string name, string? zone, double activeWatts, double cores = 32) =>
        new(name, zone, new NodePowerProfile(cores, 0, cores * 10, new GpuPowerProfile("test-gpu", 50, activeWatts), PowerSource.HardwareModel, "test-gpu"));

    public static PodDemand Pod(double cpu = 1, double gpus = 0, TimeSpan? duration = null, double? maxIntensity = null) =>
        new("pod", "ns", cpu, gpus, duration, maxIntensity, []);
}
