using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Hosting;

/// <summary>Builds the provider of a configured zone from its <c>Carbon:Zones:&lt;ZONE&gt;</c> settings.</summary>
internal static class IntensityProviderFactory
{
    public static IIntensityProvider Create(IServiceProvider services, string zone, CarbonZoneOptions settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        // CarbonOptions.Validate has already refused every type this build cannot read.
        throw new InvalidOperationException($"Carbon:Zones:{zone}:Type '{settings.Type}' has no provider in this build.");
    }
}
