using System.Collections.Concurrent;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;

namespace Scheduler.Signals.Forecasting;

/// <summary>
/// Keeps the forecasts that were issued, with their issue times, and scores them against the actuals
/// that arrive later: the mean absolute error per zone and source, so users see how far to trust
/// each source (including our own forecast).
/// </summary>
public sealed class ForecastErrorTracker
{
    // Forecasts older than this are dropped; a day-ahead error is what scheduling decisions rely on.
    private static readonly TimeSpan Keep = TimeSpan.FromHours(72);

    private readonly ConcurrentDictionary<string, List<IntensityForecast>> _issued = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Zone, string Source), ErrorSum> _errors = new();
    private readonly ConcurrentDictionary<(string Zone, string Source, DateTimeOffset Time), bool> _scored = new();

    /// <summary>Records a forecast as issued.</summary>
    public void Issued(IntensityForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var list = _issued.GetOrAdd(forecast.Zone, _ => []);
        lock (list)
        {
            if (list.Count > 0 && list[^1].IssuedAt == forecast.IssuedAt && list[^1].Source == forecast.Source)
            {
                return;
            }

            list.Add(forecast);
            list.RemoveAll(f => forecast.IssuedAt - f.IssuedAt > Keep);
        }
    }

    /// <summary>Scores every kept forecast of <paramref name="zone"/> issued before each actual reading; each (source, time) is scored once, by the latest forecast issued before it.</summary>
    public void Actuals(string zone, IReadOnlyList<IntensityReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (!_issued.TryGetValue(zone, out var list))
        {
            return;
        }

        List<IntensityForecast> forecasts;
        lock (list)
        {
            forecasts = [.. list];
        }

        foreach (var reading in readings)
        {
            var middle = reading.Time + (reading.Duration / 2);
            foreach (var group in forecasts.Where(f => f.IssuedAt <= reading.Time).GroupBy(f => f.Source))
            {
                var latest = group.MaxBy(f => f.IssuedAt)!;
                if (latest.Series.ValueAt(middle) is not { } predicted || !_scored.TryAdd((zone, group.Key, reading.Time), true))
                {
                    continue;
                }

                _errors.AddOrUpdate(
                    (zone, group.Key),
                    _ => new ErrorSum(Math.Abs(predicted - reading.GramsPerKwh), 1),
                    (_, sum) => new ErrorSum(sum.AbsoluteError + Math.Abs(predicted - reading.GramsPerKwh), sum.Count + 1));
            }
        }
    }

    /// <summary>The mean absolute error (gCO2eq/kWh) and the number of values scored, per zone and source.</summary>
    public IReadOnlyList<ForecastError> Errors() =>
        _errors.Select(e => new ForecastError(e.Key.Zone, e.Key.Source, e.Value.AbsoluteError / e.Value.Count, e.Value.Count))
            .OrderBy(e => e.Zone, StringComparer.Ordinal)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ToList();

    private readonly record struct ErrorSum(double AbsoluteError, long Count);
}
