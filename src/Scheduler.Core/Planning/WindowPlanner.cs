using Scheduler.Core.Intensity;

namespace Scheduler.Core.Planning;

/// <summary>
/// Finds the start of a non-interrupting run of length D, no earlier than S and finishing by T,
/// that minimises the time-weighted mean intensity over [start, start + D].
/// </summary>
/// <remarks>
/// The mean over a window of fixed length is piecewise linear in its start: its slope changes only
/// where the window's start or end crosses a step boundary. The minimum therefore lies at one of
/// those starts (or at the ends of the allowed range), so checking them, each in O(1) with prefix
/// sums, gives the exact optimum in O(n) on any step size, with partial steps weighted by overlap.
/// As in the Carbon Aware SDK, a window must lie within the forecast: it cannot end after the data
/// ends. Ties go to the earliest start.
/// </remarks>
public static class WindowPlanner
{
    // Means closer than this are the same for tie-breaking (gCO2eq/kWh).
    private const double Tolerance = 1e-9;

    /// <summary>The best window, or <c>null</c> when no window of that length fits in both the allowed range and the forecast.</summary>
    /// <param name="forecast">The forecast.</param>
    /// <param name="earliestStart">S: the job may not start before this.</param>
    /// <param name="deadline">T: the job must have finished by this.</param>
    /// <param name="duration">D: the job's run time; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive.</exception>
    public static WindowPlan? FindBest(IntensitySeries forecast, DateTimeOffset earliestStart, DateTimeOffset deadline, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        var first = Max(earliestStart, forecast.Start);
        var last = Min(deadline, forecast.End) - duration;
        if (last < first)
        {
            return null;
        }

        var bestStart = first;
        var bestMean = MeanOf(forecast, first, duration);

        // Candidates in time order: step boundaries for the window's start (b) and for its end (b - D),
        // merged, so the first strictly better start found is also the earliest among equals.
        var step = forecast.Step;
        var startIndex = BoundaryIndexAtOrAfter(forecast, first);
        var endIndex = BoundaryIndexAtOrAfter(forecast, first + duration);
        while (true)
        {
            var atStart = forecast.Start + (step * startIndex);
            var atEnd = forecast.Start + (step * endIndex) - duration;
            var candidate = atStart <= atEnd ? atStart : atEnd;
            if (candidate > last)
            {
                break;
            }

            if (atStart <= atEnd)
            {
                startIndex++;
            }

            if (atEnd <= atStart)
            {
                endIndex++;
            }

            if (candidate <= bestStart)
            {
                continue;
            }

            var mean = MeanOf(forecast, candidate, duration);
            if (mean < bestMean - Tolerance)
            {
                bestMean = mean;
                bestStart = candidate;
            }
        }

        var lastMean = MeanOf(forecast, last, duration);
        if (lastMean < bestMean - Tolerance)
        {
            bestMean = lastMean;
            bestStart = last;
        }

        return new WindowPlan(bestStart, bestStart + duration, bestMean, MeanOf(forecast, first, duration));
    }

    private static double MeanOf(IntensitySeries forecast, DateTimeOffset start, TimeSpan duration) =>
        forecast.MeanOver(start, start + duration) ?? double.PositiveInfinity;

    private static long BoundaryIndexAtOrAfter(IntensitySeries forecast, DateTimeOffset time)
    {
        var ticks = (time - forecast.Start).Ticks;
        var index = ticks / forecast.Step.Ticks;
        return ticks % forecast.Step.Ticks == 0 ? index : index + 1;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
