namespace Scheduler.Signals.Hardware;

/// <summary>What a node's labels and allocatable resources say about its hardware.</summary>
/// <param name="CpuCores">Allocatable CPU cores (vCPUs).</param>
/// <param name="GpuCount">Allocatable GPUs.</param>
/// <param name="InstanceType">The cloud instance type label, if any.</param>
/// <param name="GpuProduct">The GPU product label (e.g. <c>nvidia.com/gpu.product</c>), if any.</param>
/// <param name="CpuClass">An explicit CPU class (label <c>carbon-aware.io/cpu-class</c>), if any.</param>
public sealed record NodeHardware(double CpuCores, double GpuCount, string? InstanceType, string? GpuProduct, string? CpuClass);
