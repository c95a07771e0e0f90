using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.CarbonAwareSdk;
using Scheduler.Signals.Providers.ElectricityMaps;
using Scheduler.Signals.Providers.Files;
using Scheduler.Signals.Providers.UkNeso;
using Scheduler.Signals.Providers.WattTime;

namespace Scheduler.Signals.Providers;

/// <summary>
/// Builds the provider of a configured zone from its <c>Carbon:Zones:&lt;ZONE&gt;</c> settings: the
/// one place the service and the command line turn a <c>Type</c> into a provider.
/// </summary>
public static class IntensityProviderFactory
{
    /// <summary>The provider of <paramref name="zone"/>, or the built-in profiles for <c>Profile</c>.</summary>
    /// <exception cref="InvalidOperationException">The type is unknown (settings are validated at start-up, so only a caller that skipped validation sees this).</exception>
    public static IIntensityProvider Create(HttpClient http, TimeProvider time, ProfileIntensityProvider profiles, string zone, CarbonZoneOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var type = CarbonSourceTypes.All.FirstOrDefault(t => string.Equals(t, settings.Type, StringComparison.OrdinalIgnoreCase));
        return type switch
        {
            CarbonSourceTypes.Profile => profiles,
            CarbonSourceTypes.File => new FileIntensityProvider(settings),
            CarbonSourceTypes.ElectricityMaps => new ElectricityMapsProvider(http, settings, time, zone),
            CarbonSourceTypes.WattTime => new WattTimeProvider(http, settings, time, zone),
            CarbonSourceTypes.UkNeso => new UkNesoProvider(http, settings, time),
            CarbonSourceTypes.CarbonAwareSdk => new CarbonAwareSdkProvider(http, settings, time),
            _ => throw new InvalidOperationException($"Carbon:Zones:{zone}:Type '{settings.Type}' is not a known source type."),
        };
    }
}
