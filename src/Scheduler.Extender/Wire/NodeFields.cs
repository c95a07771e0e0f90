using System.Text;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Extender.Wire;

/// <summary>
/// The node labels and resources the scorer reads. The request reader keeps only these, so a node
/// with dozens of labels and images costs a few small strings instead of whole dictionaries.
/// </summary>
internal sealed class NodeFields
{
    public NodeFields(IEnumerable<string> gpuResources)
    {
        ArgumentNullException.ThrowIfNull(gpuResources);
        string[] labels =
        [
            NodeLabels.GridZone,
            NodeLabels.Region,
            NodeLabels.LegacyRegion,
            NodeLabels.InstanceType,
            NodeLabels.LegacyInstanceType,
            NodeLabels.CpuClass,
            NodeLabels.GpuProduct,
            .. NodeLabels.VendorGpuProducts,
        ];
        Labels = labels.Select(l => (l, Encoding.UTF8.GetBytes(l))).ToArray();
        Resources = gpuResources.Prepend("cpu").Distinct(StringComparer.Ordinal).Select(r => (r, Encoding.UTF8.GetBytes(r))).ToArray();
    }

    /// <summary>The fields for the default scoring settings.</summary>
    public static NodeFields Default { get; } = new(new ScoringOptions().GpuResources);

    /// <summary>Label keys kept, with their UTF-8 bytes.</summary>
    public (string Name, byte[] Utf8)[] Labels { get; }

    /// <summary>Resource names kept from allocatable and capacity, with their UTF-8 bytes.</summary>
    public (string Name, byte[] Utf8)[] Resources { get; }
}
