using System.Text.Json.Serialization;
using Scheduler.Signals.Models;

namespace Scheduler.Signals.Regions;

/// <summary>
/// Cloud regions (AWS, Azure, GCP, as in <c>topology.kubernetes.io/region</c>) to Electricity Maps
/// grid zones, from <c>models/cloud-regions.json</c>.
/// </summary>
public sealed class CloudRegionMap
{
    /// <summary>The model file inside <c>models/</c>.</summary>
    public const string FileName = "cloud-regions.json";

    private readonly Dictionary<string, string> _zoneByRegion;

    /// <summary>Creates a map from region -> zone pairs.</summary>
    public CloudRegionMap(IReadOnlyDictionary<string, string> zoneByRegion) =>
        _zoneByRegion = new Dictionary<string, string>(zoneByRegion, StringComparer.OrdinalIgnoreCase);

    /// <summary>The number of regions known.</summary>
    public int Count => _zoneByRegion.Count;

    /// <summary>Loads the map; a region listed by two clouds must map to the same zone.</summary>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static CloudRegionMap Load(ModelFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var document = files.ReadJson<Document>(FileName);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (cloud, regions) in document?.Regions ?? [])
        {
            foreach (var (region, zone) in regions)
            {
                if (string.IsNullOrWhiteSpace(zone))
                {
                    throw new InvalidDataException($"models/{FileName}: {cloud} region {region} has no zone");
                }

                if (map.TryGetValue(region, out var existing) && !string.Equals(existing, zone, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"models/{FileName}: region {region} maps to both {existing} and {zone}");
                }

                map[region] = zone;
            }
        }

        return new CloudRegionMap(map);
    }

    /// <summary>The grid zone of <paramref name="region"/>, or <c>null</c> when it is not known.</summary>
    public string? ZoneOf(string? region) =>
        region is not null && _zoneByRegion.TryGetValue(region, out var zone) ? zone : null;

    private sealed class Document
    {
        [JsonPropertyName("regions")]
        public Dictionary<string, Dictionary<string, string>> Regions { get; set; } = [];
    }
}
