using System.Globalization;

namespace Scheduler.LoadTest.Memory;

/// <summary>Reads single values out of the Prometheus text exposition format.</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The value of the series <paramref name="series"/> (a metric name, with its labels written as
    /// exposed, e.g. <c>dotnet_collection_count_total{generation="2"}</c>), or NaN when absent.
    /// </summary>
    public static double Value(string text, string series)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(series, StringComparison.Ordinal) && line.Length > series.Length && line[series.Length] == ' ')
            {
                var value = line[(series.Length + 1)..].Trim();
                var space = value.IndexOf(' ');
                if (space >= 0)
                {
                    // A timestamp may follow the value.
                    value = value[..space];
                }

                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
            }
        }

        return double.NaN;
    }
}
