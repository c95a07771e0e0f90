using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>Range-query series laid on the grid of their steps, NaN where Prometheus has no point.</summary>
internal static class HistoryGrid
{
    /// <summary>Each node's series on the grid.</summary>
    public static Dictionary<string, double[]> Align(List<PromSeries> series, KeplerDialect dialect, IReadOnlyDictionary<string, string> targets, DateTimeOffset start, TimeSpan step, int points)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            if (dialect.NodeOf(s, targets) is { } node)
            {
                result[node] = ToArray(s, start, step, points);
            }
        }

        return result;
    }

    /// <summary>One series on the grid.</summary>
    public static double[] ToArray(PromSeries series, DateTimeOffset start, TimeSpan step, int points)
    {
        var values = Filled(points);
        foreach (var point in series.Points)
        {
            var index = (int)Math.Round((point.At - start).Ticks / (double)step.Ticks);
            if (index >= 0 && index < points)
            {
                values[index] = point.Value;
            }
        }

        return values;
    }

    /// <summary>A grid with no point yet.</summary>
    public static double[] Filled(int points)
    {
        var values = new double[points];
        Array.Fill(values, double.NaN);
        return values;
    }
}
