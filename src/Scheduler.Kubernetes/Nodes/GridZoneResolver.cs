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

        // A label present but blank (e.g. "region:" in YAML) counts as absent.
        var region = NonBlank(labels, NodeLabels.Region) ?? NonBlank(labels, NodeLabels.LegacyRegion);
        return region is null ? null : regions.ZoneOf(region);
    }

    private static string? NonBlank(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
