using Scheduler.Core.Intensity;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// The actual intensity of each zone, from the <c>--carbon [ZONE=]FILE</c> options, in the order
/// given: the first zone is the default home zone, and noisy forecasts are drawn in this order.
/// </summary>
internal sealed class CarbonFiles
{
    private CarbonFiles(IReadOnlyList<(string Zone, IntensitySeries Actual)> zones)
    {
        Ordered = zones;
        Zones = [.. zones.Select(z => z.Zone)];
        ByZone = zones.ToDictionary(z => z.Zone, z => z.Actual, StringComparer.Ordinal);
    }

    /// <summary>The zones and their series, in the order given.</summary>
    public IReadOnlyList<(string Zone, IntensitySeries Actual)> Ordered { get; }

    /// <summary>The zone names, in the order given.</summary>
    public IReadOnlyList<string> Zones { get; }

    /// <summary>The series by zone, as the simulator takes them.</summary>
    public IReadOnlyDictionary<string, IntensitySeries> ByZone { get; }

    /// <summary>The known zones, for messages about an unknown one.</summary>
    public string Known => string.Join(", ", Zones);

    public static CarbonFiles Read(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            throw new UsageException("--carbon is required: a carbon CSV per zone, as [ZONE=]FILE");
        }

        return new CarbonFiles([.. ZoneFile.ParseAll("carbon", arguments).Select(f => (f.Zone, CarbonCsvFile.Read(f.Path)))]);
    }

    public bool Has(string zone) => ByZone.ContainsKey(zone);
}
