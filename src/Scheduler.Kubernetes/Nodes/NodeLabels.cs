using Scheduler.Core.Annotations;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>The node labels read for zone and hardware.</summary>
public static class NodeLabels
{
    /// <summary>Explicit grid zone; wins over the region.</summary>
    public const string GridZone = CarbonAnnotations.GridZoneLabel;

    /// <summary>The well-known cloud region label.</summary>
    public const string Region = "topology.kubernetes.io/region";

    /// <summary>The deprecated region label still set by older clusters.</summary>
    public const string LegacyRegion = "failure-domain.beta.kubernetes.io/region";

    /// <summary>The well-known instance type label.</summary>
    public const string InstanceType = "node.kubernetes.io/instance-type";

    /// <summary>The deprecated instance type label.</summary>
    public const string LegacyInstanceType = "beta.kubernetes.io/instance-type";

    /// <summary>Explicit CPU class from <c>models/hardware-power.json</c>.</summary>
    public const string CpuClass = CarbonAnnotations.Prefix + "cpu-class";

    /// <summary>Explicit GPU product; wins over the vendors' labels.</summary>
    public const string GpuProduct = CarbonAnnotations.Prefix + "gpu-product";

    /// <summary>GPU product labels set by the vendors' feature discovery, in order of preference.</summary>
    public static readonly IReadOnlyList<string> VendorGpuProducts = ["nvidia.com/gpu.product", "cloud.google.com/gke-accelerator", "amd.com/gpu.product-name"];
}
