namespace Scheduler.LoadTest.Payloads;

/// <summary>A machine type the synthetic cluster is made of.</summary>
/// <param name="InstanceType">The cloud instance type label, or <c>null</c> for on-premises machines.</param>
/// <param name="Vcpus">vCPUs.</param>
/// <param name="MemoryGib">Memory, in GiB.</param>
/// <param name="Arch">amd64 or arm64.</param>
/// <param name="Gpus">GPUs (0 for a CPU node).</param>
/// <param name="GpuProduct">The GPU Feature Discovery product label value, or <c>null</c>.</param>
/// <param name="GpuFamily">The GPU Feature Discovery family label value, or <c>null</c>.</param>
/// <param name="GpuMemoryMib">Memory per GPU, in MiB (GFD's <c>nvidia.com/gpu.memory</c>).</param>
/// <param name="ComputeCapability">CUDA compute capability, e.g. <c>8.0</c>.</param>
internal sealed record InstanceShape(
    string? InstanceType,
    int Vcpus,
    int MemoryGib,
    string Arch,
    int Gpus = 0,
    string? GpuProduct = null,
    string? GpuFamily = null,
    int GpuMemoryMib = 0,
    string ComputeCapability = "")
{
    /// <summary>Whether the machine has GPUs.</summary>
    public bool HasGpus => Gpus > 0;
}
