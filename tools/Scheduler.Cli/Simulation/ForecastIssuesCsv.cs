using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// Reads a file of forecasts as they were issued (<c>carbon simulate --forecasts</c>): CSV
/// <c>request_time,forecast_time,value</c> (any order, any case, other columns ignored). The rows of
/// one <c>request_time</c> are one forecast, issued then, whose times must be evenly spaced.
/// </summary>
internal static class ForecastIssuesCsv
{
    public const string Columns = "request_time,forecast_time,value";

    /// <summary>Reads every forecast, in the order of their issue times.</summary>
    /// <exception cref="UsageException">A missing column, a bad value or an unevenly spaced forecast; the message says where.</exception>
    public static List<ForecastIssue> Read(TextReader reader, string source)
    {
        var rows = new CsvRows(reader, source, Columns);
        var request = rows.RequiredColumn("request_time", Columns);
        var forecastTime = rows.RequiredColumn("forecast_time", Columns);
        var value = rows.RequiredColumn("value", Columns);
        var issues = new Dictionary<DateTimeOffset, List<Point>>();
        while (rows.Next())
        {
            var issued = rows.Time(request);
            var time = rows.Time(forecastTime);
            var grams = rows.Number(value);
            if (grams < 0)
            {
                throw rows.Error(value, "is not a non-negative gCO2eq/kWh value");
            }

            if (!issues.TryGetValue(issued, out var points))
            {
                points = [];
                issues[issued] = points;
            }

            points.Add(new Point(time, grams, rows.LineNumber));
        }

        if (issues.Count == 0)
        {
            throw new UsageException($"{source}: no forecasts; expected rows '{Columns}'");
        }

        var result = new List<ForecastIssue>(issues.Count);
        foreach (var (issued, points) in issues.OrderBy(i => i.Key))
        {
            result.Add(new ForecastIssue(issued, Series(source, issued, points)));
        }

        return result;
    }

    private static IntensitySeries Series(string source, DateTimeOffset issued, List<Point> points)
    {
        if (points.Count < 2)
        {
            throw new UsageException($"{source}:{points[0].Line}: the forecast issued at {issued:yyyy-MM-ddTHH:mm:ssZ} has one forecast_time; at least two are needed to know its step");
        }

        // Files usually list each forecast in time order already; sorting is then one pass.
        points.Sort((a, b) => a.Time.CompareTo(b.Time));
        var step = points[1].Time - points[0].Time;
        var values = new double[points.Count];
        values[0] = points[0].Value;
        for (var i = 1; i < points.Count; i++)
        {
            var gap = points[i].Time - points[i - 1].Time;
            if (gap != step || gap == TimeSpan.Zero)
            {
                throw new UsageException(gap == TimeSpan.Zero
                    ? $"{source}:{points[i].Line}: the forecast issued at {issued:yyyy-MM-ddTHH:mm:ssZ} has forecast_time {points[i].Time:yyyy-MM-ddTHH:mm:ssZ} twice (also line {points[i - 1].Line})"
                    : $"{source}:{points[i].Line}: the forecast issued at {issued:yyyy-MM-ddTHH:mm:ssZ} is not evenly spaced: {points[i - 1].Time:yyyy-MM-ddTHH:mm:ssZ} to {points[i].Time:yyyy-MM-ddTHH:mm:ssZ} is {gap}, not {step}");
            }

            values[i] = points[i].Value;
        }

        return new IntensitySeries(points[0].Time, step, values);
    }

    private readonly record struct Point(DateTimeOffset Time, double Value, int Line);
}
