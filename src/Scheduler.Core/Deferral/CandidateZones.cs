namespace Scheduler.Core.Deferral;

/// <summary>
/// The grid zones a Job could run in: the zones of the nodes that admit its pods, within the zones
/// it allows, the zone with most such nodes first (where the scheduler would most likely have put it
/// without us: the baseline).
/// </summary>
public static class CandidateZones
{
    /// <summary>The zones of the nodes (labels, allocatable GPUs, grid zone) that admit <paramref name="needs"/>.</summary>
    public static IReadOnlyList<string> Of(PlacementNeeds needs, IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Gpus, string? Zone)> nodes) =>
        [.. Counted(needs, nodes).Select(c => c.Zone)];

    /// <summary>
    /// The zones of the nodes that admit <paramref name="needs"/>, each with how many of its nodes do, in the order of
    /// <see cref="Of"/>.
    /// </summary>
    public static IReadOnlyList<(string Zone, int Nodes)> Counted(PlacementNeeds needs, IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Gpus, string? Zone)> nodes)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(nodes);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (labels, gpus, zone) in nodes)
        {
            if (zone is null || (needs.Zones.Count > 0 && !needs.Zones.Contains(zone, StringComparer.Ordinal)) || !needs.Admits(labels, gpus))
            {
                continue;
            }

            counts[zone] = counts.GetValueOrDefault(zone) + 1;
        }

        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
    }
}
