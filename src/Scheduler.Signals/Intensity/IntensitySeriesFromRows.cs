using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Intensity;

/// <summary>Builds an <see cref="IntensitySeries"/> from CSV rows on a regular time step.</summary>
public static class IntensitySeriesFromRows
{
    /// <summary>
    /// The rows as a series, in time order. Offset-less timestamps are read in <paramref name="timeZone"/>
    /// (UTC by default, the convention of the command line).
    /// </summary>
    /// <exception cref="FormatException">Fewer than two rows, a repeated time, or an irregular step; the message says where.</exception>
    public static IntensitySeries Build(IReadOnlyList<IntensityRow> rows, TimeZoneInfo? timeZone = null, string sourceName = "input")
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count < 2)
        {
            throw new FormatException($"{sourceName}: at least two readings are needed to know the step");
        }

        var zone = timeZone ?? TimeZoneInfo.Utc;
        var points = rows.Select(r => (Time: r.UtcIn(zone), r.GramsPerKwh)).OrderBy(p => p.Time).ToList();
        var step = points[1].Time - points[0].Time;
        if (step <= TimeSpan.Zero)
        {
            throw new FormatException($"{sourceName}: two readings at {points[0].Time:O}");
        }

        for (var i = 2; i < points.Count; i++)
        {
            var gap = points[i].Time - points[i - 1].Time;
            if (gap != step)
            {
                throw new FormatException($"{sourceName}: readings must be evenly spaced; {points[i - 1].Time:O} to {points[i].Time:O} is {gap}, not {step}");
            }
        }

        return new IntensitySeries(points[0].Time, step, points.Select(p => p.GramsPerKwh).ToArray());
    }
}
