using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.CarbonAwareSdk;
using Scheduler.Signals.Providers.ElectricityMaps;
using Scheduler.Signals.Providers.Files;
using Scheduler.Signals.Providers.UkNeso;
using Scheduler.Signals.Providers.WattTime;

namespace Scheduler.Extender.Hosting;

/// <summary>Builds the provider of a configured zone from its <c>Carbon:Zones:&lt;ZONE&gt;</c> settings.</summary>
internal static class IntensityProviderFactory
{
    /// <summary>The provider of <paramref name="zone"/>; settings were validated at start-up.</summary>
    public static IIntensityProvider Create(IServiceProvider services, string zone, CarbonZoneOptions settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var http = services.GetRequiredService<ProviderHttpClient>().Client;
        var time = services.GetRequiredService<TimeProvider>();
        var type = CarbonSourceTypes.All.First(t => string.Equals(t, settings.Type, StringComparison.OrdinalIgnoreCase));
        return type switch
        {
            CarbonSourceTypes.File => new FileIntensityProvider(settings),
            CarbonSourceTypes.ElectricityMaps => new ElectricityMapsProvider(http, settings, time, zone),
            CarbonSourceTypes.WattTime => new WattTimeProvider(http, settings, time, zone),
            CarbonSourceTypes.UkNeso => new UkNesoProvider(http, settings, time),
            CarbonSourceTypes.CarbonAwareSdk => new CarbonAwareSdkProvider(http, settings, time),
            _ => throw new InvalidOperationException($"Carbon:Zones:{zone}:Type '{settings.Type}' has no provider."),
        };
    }
}
