namespace Scheduler.Signals.Providers.Common;

/// <summary>The points of a provider's answer, one per time, as every provider hands them on.</summary>
internal static class TimedPoints
{
    /// <summary>
    /// <paramref name="points"/> in time order, one per time: a point the answer repeats is dropped (sources can
    /// overlap), but two different values for one time cannot both be right, and throw what <paramref name="conflict"/>
    /// makes of that time.
    /// </summary>
    public static List<(DateTimeOffset Time, TValue Value)> OnePerTime<TValue>(IEnumerable<(DateTimeOffset Time, TValue Value)> points, Func<DateTimeOffset, Exception> conflict)
    {
        var ordered = new List<(DateTimeOffset Time, TValue Value)>();
        foreach (var point in points.OrderBy(p => p.Time))
        {
            if (ordered.Count > 0 && ordered[^1].Time == point.Time)
            {
                if (!EqualityComparer<TValue>.Default.Equals(ordered[^1].Value, point.Value))
                {
                    throw conflict(point.Time);
                }

                continue;
            }

            ordered.Add(point);
        }

        return ordered;
    }
}
