using System.Diagnostics;

namespace Scheduler.LoadTest.Load;

/// <summary>
/// Latency percentiles of one verb, computed exactly by sorting every recorded latency (a run is
/// bounded, so all of them fit in memory and no histogram bucketing error is added).
/// </summary>
/// <param name="Verb">filter or prioritize.</param>
/// <param name="Count">Requests sent.</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="Rate">Requests completed per second over the run.</param>
/// <param name="P50">Median latency from send, in ms.</param>
/// <param name="P90">90th percentile from send, in ms.</param>
/// <param name="P99">99th percentile from send, in ms.</param>
/// <param name="P999">99.9th percentile from send, in ms.</param>
/// <param name="Max">Largest latency from send, in ms.</param>
/// <param name="P99FromDue">99th percentile from the scheduled send time, in ms (includes waiting for a slot).</param>
internal sealed record LatencySummary(string Verb, int Count, int Errors, double Rate, double P50, double P90, double P99, double P999, double Max, double P99FromDue)
{
    /// <summary>Summarises the results of <paramref name="verb"/> in <paramref name="run"/>.</summary>
    public static LatencySummary Of(string verb, LoadRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var mine = run.Results.Where(r => r.Verb == verb).ToList();
        var fromSend = mine.Select(r => Milliseconds(r.Done - r.Sent)).Order().ToArray();
        var fromDue = mine.Select(r => Milliseconds(r.Done - r.Due)).Order().ToArray();
        return new LatencySummary(
            verb,
            mine.Count,
            mine.Count(r => !r.Ok),
            mine.Count / run.Elapsed.TotalSeconds,
            Percentile(fromSend, 0.50),
            Percentile(fromSend, 0.90),
            Percentile(fromSend, 0.99),
            Percentile(fromSend, 0.999),
            fromSend.Length == 0 ? double.NaN : fromSend[^1],
            Percentile(fromDue, 0.99));
    }

    /// <summary>The nearest-rank percentile of sorted <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyList<double> values, double quantile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(quantile * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
