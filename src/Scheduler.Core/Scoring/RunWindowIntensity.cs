using Scheduler.Core.Intensity;

namespace Scheduler.Core.Scoring;

/// <summary>
/// The mean forecast intensity of each zone over one pod's expected run, computed once per zone
/// and reused for every node of that zone within a request.
/// </summary>
internal sealed class RunWindowIntensity(IForecastLookup forecasts, DateTimeOffset start, TimeSpan duration)
{
    private readonly Dictionary<string, (double? Mean, string? Source)> _byZone = new(StringComparer.Ordinal);

    public (double? Mean, string? Source) Of(string zone)
    {
        if (_byZone.TryGetValue(zone, out var known))
        {
            return known;
        }

        var forecast = forecasts.Find(zone);
        var result = forecast is null
            ? (null, null)
            : (forecast.Series.MeanOver(start, start + duration), SourceLabel(forecast));
        _byZone[zone] = result;
        return result;
    }

    // Marginal (MOER) and average intensities are not the same quantity; reasons say which was used.
    private static string SourceLabel(IntensityForecast forecast) =>
        forecast.Signal == IntensitySignal.Marginal ? forecast.Source + ", marginal" : forecast.Source;
}
