using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Models;
using Scheduler.Signals.Profiles;
using Scheduler.Signals.Providers;

namespace Scheduler.Cli;

/// <summary>
/// A zone's forecast from its configured source, read from the same settings the service reads
/// (<c>Carbon__Zones__&lt;ZONE&gt;__Type</c> and the rest, from the environment or <c>--config FILE</c>),
/// through the same provider and resilience pipeline; the built-in profile when none is configured.
/// </summary>
internal static class ZoneForecasts
{
    public static async Task<IntensityForecast> ForecastAsync(string zone, string? configFile, DateTimeOffset from, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        var configuration = builder.AddEnvironmentVariables().Build();
        var carbon = configuration.GetSection(CarbonOptions.SectionName).Get<CarbonOptions>() ?? new CarbonOptions();
        var profiles = new ProfileIntensityProvider(CarbonProfileCatalog.Load(new ModelFiles(configuration["Models:Directory"])));
        var errors = carbon.Validate(profiles.Zones);
        if (errors.Count > 0)
        {
            throw new UsageException("configuration: " + string.Join(" ", errors));
        }

        var settings = carbon.Zones.GetValueOrDefault(zone) ?? new CarbonZoneOptions();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(carbon.ProviderTimeoutSeconds + 5) };
        var provider = IntensityProviderFactory.Create(http, time, profiles, zone, settings);
        using var pipelines = new ProviderPipelines(Options.Create(carbon), time);
        IntensityForecast? forecast;
        try
        {
            forecast = await pipelines.For(provider.Name).ExecuteAsync(
                async token => await provider.GetForecastAsync(zone, from, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (IntensityProviderException e)
        {
            throw new UsageException($"the {provider.Name} source of zone {zone} failed ({e.Kind}): {e.Message}; pass --carbon FILE to plan from a file");
        }

        return forecast ?? throw new UsageException(
            settings.Type == CarbonSourceTypes.Profile
                ? $"no built-in profile for zone '{zone}' (profiles: {string.Join(", ", profiles.Zones.Order(StringComparer.Ordinal))}); configure Carbon__Zones__{zone}__Type or pass --carbon FILE"
                : $"the {provider.Name} source has no forecast for zone {zone}; pass --carbon FILE");
    }
}
