using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Intensity;

/// <summary>A source of carbon-intensity forecasts and actuals for grid zones.</summary>
/// <remarks>
/// Implementations make one attempt per call and report failures as <see cref="IntensityProviderException"/>
/// with the right <see cref="ProviderErrorKind"/>; timeouts, retries and circuit breaking are applied
/// around them by the intensity service, so they stay simple and testable.
/// </remarks>
public interface IIntensityProvider
{
    /// <summary>The provider's name, shown in score reasons and metrics (e.g. <c>electricitymaps</c>).</summary>
    string Name { get; }

    /// <summary>The forecast of <paramref name="zone"/> from <paramref name="now"/>, or <c>null</c> when the provider does not forecast the zone.</summary>
    /// <exception cref="IntensityProviderException">The call failed.</exception>
    Task<IntensityForecast?> GetForecastAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Measured intensity of <paramref name="zone"/> over [<paramref name="periodStart"/>, <paramref name="periodEnd"/>), oldest first; empty when the provider has none.</summary>
    /// <exception cref="IntensityProviderException">The call failed.</exception>
    Task<IReadOnlyList<IntensityReading>> GetActualsAsync(string zone, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken);
}
