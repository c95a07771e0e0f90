using Scheduler.Core.Quantities;
using Scheduler.Core.Scoring;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Power;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// Turns what Kubernetes says of a node into what the scorer needs: its grid zone and power profile,
/// the profile measured through Kepler where there is one and the hardware model otherwise.
/// </summary>
public sealed class NodeDescriber(GridZoneResolver zones, HardwarePowerCatalog hardware, ScoringOptions scoring, IMeasuredPower? measured = null)
{
    /// <summary>The measured power laid over the hardware models, when configured.</summary>
    public IMeasuredPower? Measured => measured;

    /// <summary>Describes <paramref name="node"/>. Never throws on odd labels or quantities: unknowns fall back to defaults.</summary>
    public NodeDescription Describe(NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var modelled = hardware.Describe(HardwareOf(node));
        return new NodeDescription(node.Name, zones.ZoneOf(node.Labels), measured is null ? modelled : measured.Apply(node.Name, modelled));
    }

    /// <summary>
    /// What <paramref name="node"/>'s labels and allocatable resources say of its hardware, as the hardware models
    /// look it up (for its power profile, and for its embodied emissions). Never throws on odd labels or quantities.
    /// </summary>
    public NodeHardware HardwareOf(NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var cpu = Quantity(node.Allocatable, "cpu");
        var gpus = 0.0;
        foreach (var resource in scoring.GpuResources)
        {
            gpus += Quantity(node.Allocatable, resource);
        }

        return new NodeHardware(
            cpu,
            gpus,
            Label(node.Labels, NodeLabels.InstanceType) ?? Label(node.Labels, NodeLabels.LegacyInstanceType),
            Label(node.Labels, NodeLabels.GpuProduct) ?? NodeLabels.VendorGpuProducts.Select(l => Label(node.Labels, l)).FirstOrDefault(v => v is not null),
            Label(node.Labels, NodeLabels.CpuClass));
    }

    private static double Quantity(IReadOnlyDictionary<string, string> resources, string name) =>
        resources.TryGetValue(name, out var text) && ResourceQuantity.TryParse(text, out var value) && value > 0 ? value : 0;

    private static string? Label(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
