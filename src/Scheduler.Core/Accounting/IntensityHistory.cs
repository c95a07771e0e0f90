using Scheduler.Core.Intensity;

namespace Scheduler.Core.Accounting;

/// <summary>
/// Recorded actual intensities of each zone, as series the accountant can average over. A zone's step
/// is the shortest gap between its records; a step with no record of its own takes the value in force
/// before it (the last one recorded), and those steps are counted so that a report can say how many
/// were filled.
/// </summary>
public sealed class IntensityHistory
{
    private IntensityHistory(IReadOnlyDictionary<string, IntensitySeries> series, IReadOnlyDictionary<string, int> filledSteps)
    {
        Series = series;
        FilledSteps = filledSteps;
    }

    /// <summary>Each zone's series.</summary>
    public IReadOnlyDictionary<string, IntensitySeries> Series { get; }

    /// <summary>Each zone's number of steps that had no record and carry the previous value.</summary>
    public IReadOnlyDictionary<string, int> FilledSteps { get; }

    /// <summary>Builds the series from <paramref name="points"/>, in any order; a repeated time keeps the last value given.</summary>
    public static IntensityHistory From(IEnumerable<IntensityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var series = new Dictionary<string, IntensitySeries>(StringComparer.Ordinal);
        var filled = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var zone in points.GroupBy(p => p.Zone, StringComparer.Ordinal))
        {
            var byTime = new SortedDictionary<DateTimeOffset, double>();
            foreach (var point in zone)
            {
                byTime[point.At.ToUniversalTime()] = point.GramsPerKwh;
            }

            var times = byTime.Keys.ToArray();
            var step = Step(times);
            var count = (int)((times[^1] - times[0]).Ticks / step.Ticks) + 1;
            var values = new double[count];
            var next = 0;
            var filledSteps = 0;
            var current = byTime[times[0]];
            for (var i = 0; i < count; i++)
            {
                var at = times[0] + (step * i);
                var own = false;
                while (next < times.Length && times[next] <= at)
                {
                    own |= times[next] == at;
                    current = byTime[times[next]];
                    next++;
                }

                filledSteps += own ? 0 : 1;
                values[i] = current;
            }

            series[zone.Key] = new IntensitySeries(times[0], step, values);
            filled[zone.Key] = filledSteps;
        }

        return new IntensityHistory(series, filled);
    }

    // The shortest gap between records; one record alone holds for an hour.
    private static TimeSpan Step(DateTimeOffset[] times)
    {
        var step = TimeSpan.MaxValue;
        for (var i = 1; i < times.Length; i++)
        {
            var gap = times[i] - times[i - 1];
            if (gap < step)
            {
                step = gap;
            }
        }

        return step == TimeSpan.MaxValue ? TimeSpan.FromHours(1) : step;
    }
}
