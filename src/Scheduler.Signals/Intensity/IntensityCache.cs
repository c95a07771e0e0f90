using System.Collections.Concurrent;
using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// The newest forecast of each zone, written by the background refresh and read by request
/// handlers without waiting on any provider.
/// </summary>
public sealed class IntensityCache : IForecastLookup
{
    private readonly ConcurrentDictionary<string, IntensityForecast> _byZone = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The number of zones with a forecast.</summary>
    public int Count => _byZone.Count;

    /// <inheritdoc />
    public IntensityForecast? Find(string zone) => _byZone.TryGetValue(zone, out var forecast) ? forecast : null;

    /// <summary>Raised with the zone's name when a zone gets a newly issued forecast: held Jobs are planned again.</summary>
    public event EventHandler<string>? ForecastIssued;

    /// <summary>Stores <paramref name="forecast"/> as its zone's newest.</summary>
    public void Set(IntensityForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var previous = _byZone.GetValueOrDefault(forecast.Zone);
        _byZone[forecast.Zone] = forecast;
        if (previous is null || previous.IssuedAt != forecast.IssuedAt || previous.Source != forecast.Source)
        {
            ForecastIssued?.Invoke(this, forecast.Zone);
        }
    }

    /// <summary>Forgets <paramref name="zone"/>'s forecast, so its nodes score neutral rather than on stale data.</summary>
    public void Remove(string zone) => _byZone.TryRemove(zone, out _);

    /// <summary>A snapshot of every zone's forecast.</summary>
    public IReadOnlyList<IntensityForecast> Snapshot() => _byZone.Values.ToList();
}
