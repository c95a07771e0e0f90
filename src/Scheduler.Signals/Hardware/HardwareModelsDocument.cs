using System.Text.Json.Serialization;

namespace Scheduler.Signals.Hardware;

/// <summary>The shape of <c>models/hardware-power.json</c>.</summary>
internal sealed class HardwareModelsDocument
{
    [JsonPropertyName("cpuClasses")]
    public List<CpuClassModel> CpuClasses { get; set; } = [];

    [JsonPropertyName("gpus")]
    public List<GpuModel> Gpus { get; set; } = [];

    [JsonPropertyName("instanceTypes")]
    public List<InstanceTypeModel> InstanceTypes { get; set; } = [];
}

/// <summary>CPU power of one microarchitecture, per vCPU.</summary>
internal sealed class CpuClassModel
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("idleWattsPerVcpu")]
    public double IdleWattsPerVcpu { get; set; }

    [JsonPropertyName("maxWattsPerVcpu")]
    public double MaxWattsPerVcpu { get; set; }
}

/// <summary>Power of one GPU product.</summary>
internal sealed class GpuModel
{
    [JsonPropertyName("product")]
    public string Product { get; set; } = string.Empty;

    [JsonPropertyName("aliases")]
    public List<string> Aliases { get; set; } = [];

    [JsonPropertyName("idleWatts")]
    public double IdleWatts { get; set; }

    [JsonPropertyName("activeWatts")]
    public double ActiveWatts { get; set; }

    [JsonPropertyName("tdpWatts")]
    public double TdpWatts { get; set; }
}

/// <summary>The hardware of a cloud instance type (or family, with a trailing wildcard).</summary>
internal sealed class InstanceTypeModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("cpuClass")]
    public string? CpuClass { get; set; }

    [JsonPropertyName("gpu")]
    public string? Gpu { get; set; }

    [JsonPropertyName("gpuCount")]
    public int? GpuCount { get; set; }

    [JsonPropertyName("embodied")]
    public EmbodiedModel? Embodied { get; set; }
}

/// <summary>
/// The embodied emissions of the host an instance type runs on; absent when unknown (never zero for unknown).
/// </summary>
internal sealed class EmbodiedModel
{
    /// <summary>Total embodied emissions of the whole host, kgCO2eq.</summary>
    [JsonPropertyName("totalKgCo2e")]
    public double TotalKgCo2e { get; set; }

    /// <summary>vCPUs of the whole host.</summary>
    [JsonPropertyName("platformVcpus")]
    public double PlatformVcpus { get; set; }

    /// <summary>GPUs of the whole host; absent when its total counts no GPUs.</summary>
    [JsonPropertyName("platformGpus")]
    public int? PlatformGpus { get; set; }

    /// <summary>Expected life in service, in years of 365.25 days.</summary>
    [JsonPropertyName("lifespanYears")]
    public double LifespanYears { get; set; }
}
