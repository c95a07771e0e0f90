using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Intensity;

/// <summary>A source of carbon-intensity forecasts for grid zones.</summary>
public interface IIntensityProvider
{
    /// <summary>The provider's name, shown in score reasons and metrics.</summary>
    string Name { get; }

    /// <summary>The forecast of <paramref name="zone"/> from <paramref name="now"/>, or <c>null</c> when the provider does not cover the zone.</summary>
    Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken);
}
