using Scheduler.Signals.Regions;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// Finds a node's grid zone: the explicit <c>carbon-aware.io/grid-zone</c> label wins; otherwise
/// the cloud region label through the cloud-region map; otherwise unknown.
/// </summary>
public sealed class GridZoneResolver(CloudRegionMap regions)
{
    /// <summary>The zone of a node with <paramref name="labels"/>, or <c>null</c> when it cannot be told.</summary>
    public string? ZoneOf(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.TryGetValue(NodeLabels.GridZone, out var zone) && !string.IsNullOrWhiteSpace(zone))
        {
            return zone.Trim();
        }

        if (labels.TryGetValue(NodeLabels.Region, out var region) || labels.TryGetValue(NodeLabels.LegacyRegion, out region))
        {
            return regions.ZoneOf(region.Trim());
        }

        return null;
    }
}
