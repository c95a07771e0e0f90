using Microsoft.Extensions.Options;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// The zones' sources from configuration: each configured zone's provider, and the built-in
/// profile for every other zone that has one.
/// </summary>
public sealed class ConfiguredZoneSources : IZoneSources
{
    private readonly Dictionary<string, IIntensityProvider> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ProfileIntensityProvider _profiles;

    /// <summary>Creates the sources; <paramref name="createProvider"/> builds the provider of a configured zone.</summary>
    public ConfiguredZoneSources(IOptions<CarbonOptions> options, ProfileIntensityProvider profiles, Func<string, CarbonZoneOptions, IIntensityProvider> createProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createProvider);
        _profiles = profiles;
        foreach (var (zone, zoneOptions) in options.Value.Zones)
        {
            _providers[zone] = string.Equals(zoneOptions.Type, CarbonSourceTypes.Profile, StringComparison.OrdinalIgnoreCase)
                ? profiles
                : createProvider(zone, zoneOptions);
        }

        Zones = profiles.Zones.Union(_providers.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Zones { get; }

    /// <inheritdoc />
    public IIntensityProvider SourceOf(string zone) => _providers.GetValueOrDefault(zone) ?? _profiles;
}
