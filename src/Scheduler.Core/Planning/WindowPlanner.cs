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

        // Work in steps from the series start: doubles, no time arithmetic in the loop.
        var stepTicks = (double)forecast.Step.Ticks;
        var lo = (first - forecast.Start).Ticks / stepTicks;
        var hi = (last - forecast.Start).Ticks / stepTicks;
        var width = duration.Ticks / stepTicks;
        double Mean(double x) => (forecast.IntegralSteps(x + width) - forecast.IntegralSteps(x)) / width;

        var best = lo;
        var bestMean = Mean(lo);

        // Candidates in increasing order: boundaries k for the window's start and k - width for its
        // end, merged, so the first strictly better one found is also the earliest among equals.
        var k1 = Math.Ceiling(lo);
        var k2 = Math.Ceiling(lo + width) - width;
        while (true)
        {
            var candidate = Math.Min(k1, k2);
            if (candidate > hi)
            {
                break;
            }

            if (k1 <= k2)
            {
                k1 += 1;
            }

            if (k2 <= candidate)
            {
                k2 += 1;
            }

            if (candidate <= best)
            {
                continue;
            }

            var mean = Mean(candidate);
            if (mean < bestMean - Tolerance)
            {
                bestMean = mean;
                best = candidate;
            }
        }

        var lastMean = Mean(hi);
        if (lastMean < bestMean - Tolerance)
        {
            bestMean = lastMean;
            best = hi;
        }

        var bestStart = best == lo ? first : best == hi ? last : forecast.Start + TimeSpan.FromTicks((long)Math.Round(best * stepTicks));
        return new WindowPlan(bestStart, bestStart + duration, MeanOf(forecast, bestStart, duration), MeanOf(forecast, first, duration));
    }

    private static double MeanOf(IntensitySeries forecast, DateTimeOffset start, TimeSpan duration) =>
        forecast.MeanOver(start, start + duration) ?? double.PositiveInfinity;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
