using Scheduler.Core.Intensity;

namespace Scheduler.Core.Planning;

/// <summary>
/// Picks the zone and start with the lowest mean intensity across several zones' forecasts, each
/// zone planned with <see cref="WindowPlanner"/>. Ties go to the earlier start, then to the zone
/// listed first, so a preferred zone can be put first.
/// </summary>
public static class SpatioTemporalPlanner
{
    // Means closer than this are the same for tie-breaking (gCO2eq/kWh).
    private const double Tolerance = 1e-9;

    /// <summary>The best zone and window, or <c>null</c> when the job fits in no zone's forecast.</summary>
    public static ZoneWindowPlan? FindBest(
        IReadOnlyList<(string Zone, IntensitySeries Forecast)> zones,
        DateTimeOffset earliestStart,
        DateTimeOffset deadline,
        TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ZoneWindowPlan? best = null;
        foreach (var (zone, forecast) in zones)
        {
            var window = WindowPlanner.FindBest(forecast, earliestStart, deadline, duration);
            if (window is null)
            {
                continue;
            }

            var better = best is null
                || window.MeanIntensityGramsPerKwh < best.Window.MeanIntensityGramsPerKwh - Tolerance
                || (Math.Abs(window.MeanIntensityGramsPerKwh - best.Window.MeanIntensityGramsPerKwh) <= Tolerance && window.Start < best.Window.Start);
            if (better)
            {
                best = new ZoneWindowPlan(zone, window);
            }
        }

        return best;
    }
}
