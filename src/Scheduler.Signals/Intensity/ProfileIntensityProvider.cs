using Scheduler.Core.Intensity;
using Scheduler.Signals.Profiles;

namespace Scheduler.Signals.Intensity;

/// <summary>Forecasts from the built-in carbon profiles: the embedded default, and the last resort of every zone.</summary>
public sealed class ProfileIntensityProvider(CarbonProfileCatalog catalog) : IIntensityProvider
{
    /// <summary>How far ahead a profile forecast reaches.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(72);

    /// <inheritdoc />
    public string Name => "profile";

    /// <summary>The zones this provider covers.</summary>
    public IReadOnlyCollection<string> Zones => catalog.Zones;

    /// <inheritdoc />
    public Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(zone, out var profile, out var timeZone))
        {
            return Task.FromResult<IntensityForecast?>(null);
        }

        var series = CarbonProfileForecaster.Forecast(profile, timeZone, now, Horizon);
        return Task.FromResult<IntensityForecast?>(new IntensityForecast(profile.Zone, series, now, Name));
    }

    /// <inheritdoc />
    /// <remarks>A profile is a statistic, not a measurement: it has no actuals.</remarks>
    public Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IntensityReading>>([]);
}
