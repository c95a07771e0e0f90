using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Providers.Common;

/// <summary>Turns provider points into an <see cref="IntensitySeries"/>, which must sit on a regular grid.</summary>
internal static class ContiguousSeries
{
    /// <summary>
    /// The longest run of points from the earliest one that is evenly spaced, gap-free and has values.
    /// <paramref name="used"/> says how many points (in time order) made it into the series.
    /// </summary>
    /// <remarks>
    /// A series cannot represent a hole, and a forecast that stops at its first hole is still usable
    /// for the hours it does cover, so the run is cut there rather than the whole answer refused;
    /// callers that need every point (files) compare <paramref name="used"/> with the input count.
    /// The step is the first point's duration, or the spacing of the first two points when the
    /// provider gave none.
    /// </remarks>
    /// <exception cref="FormatException">No points, the first point has no value, or the step cannot be known.</exception>
    public static IntensitySeries Build(IEnumerable<TimedValue> points, string sourceName, out int used)
    {
        ArgumentNullException.ThrowIfNull(points);
        var ordered = points.OrderBy(p => p.Time).ToList();
        if (ordered.Count == 0)
        {
            throw new FormatException($"{sourceName}: the answer holds no data points");
        }

        if (ordered[0].Value is null)
        {
            throw new FormatException($"{sourceName}: the first data point, at {ordered[0].Time:O}, has no value");
        }

        var step = ordered[0].Duration > TimeSpan.Zero
            ? ordered[0].Duration
            : ordered.Count > 1 ? ordered[1].Time - ordered[0].Time : TimeSpan.Zero;
        if (step <= TimeSpan.Zero)
        {
            throw new FormatException($"{sourceName}: the step between data points cannot be known (one point without a duration, or two at {ordered[0].Time:O})");
        }

        var values = new List<double> { ordered[0].Value!.Value };
        for (var i = 1; i < ordered.Count; i++)
        {
            var point = ordered[i];
            var onGrid = point.Time == ordered[0].Time + (step * i);
            var sameLength = point.Duration == TimeSpan.Zero || point.Duration == step;
            if (!onGrid || !sameLength || point.Value is not { } value || !double.IsFinite(value) || value < 0)
            {
                break;
            }

            values.Add(value);
        }

        used = values.Count;
        try
        {
            return new IntensitySeries(ordered[0].Time, step, values);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{sourceName}: {e.Message}", e);
        }
    }
}
