namespace Scheduler.LoadTest.Memory;

/// <summary>
/// How one memory series moved over the run: start, end, extremes, and the least-squares slope.
/// The slope is taken after the warm-up share of the run, because the first minute of a fresh
/// server is JIT, tiering and pool growth, not a leak.
/// </summary>
/// <param name="Start">First sample, MiB.</param>
/// <param name="End">Last sample, MiB.</param>
/// <param name="Min">Smallest sample, MiB.</param>
/// <param name="Max">Largest sample, MiB.</param>
/// <param name="SlopeMibPerMinute">Least-squares slope over all samples, MiB per minute.</param>
/// <param name="SettledSlopeMibPerMinute">The slope over the samples after <c>settleSeconds</c>, MiB per minute.</param>
/// <param name="SecondHalfOverFirstHalf">The second half's largest sample over the first half's.</param>
internal sealed record MemoryTrend(double Start, double End, double Min, double Max, double SlopeMibPerMinute, double SettledSlopeMibPerMinute, double SecondHalfOverFirstHalf)
{
    /// <summary>Working-set growth, after the warm-up share, below which memory counts as steady (MiB per minute).</summary>
    public const double SteadySlopeMibPerMinute = 1.0;

    /// <summary>The largest second-half over first-half peak that still counts as steady.</summary>
    public const double SteadyHalfRatio = 1.05;

    private const double Mib = 1024 * 1024;

    /// <summary>The steady rule: settled slope below <see cref="SteadySlopeMibPerMinute"/> and 2nd-half peak at most <see cref="SteadyHalfRatio"/> × 1st-half peak.</summary>
    public bool IsSteady => SettledSlopeMibPerMinute < SteadySlopeMibPerMinute && SecondHalfOverFirstHalf <= SteadyHalfRatio;

    /// <summary>The warm-up share left out of the settled slope for a run of <paramref name="durationSeconds"/>: a fifth, at most a minute.</summary>
    public static double SettleSeconds(double durationSeconds) => Math.Min(60, durationSeconds / 5.0);

    public static MemoryTrend Of(IReadOnlyList<MemorySample> samples, Func<MemorySample, double> bytes, double settleSeconds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(bytes);
        if (samples.Count == 0)
        {
            return new MemoryTrend(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var values = samples.Select(s => bytes(s) / Mib).ToArray();
        var half = samples[^1].Seconds / 2;
        var firstHalf = samples.Where(s => s.Seconds <= half).Select(s => bytes(s) / Mib).DefaultIfEmpty(double.NaN).Max();
        var secondHalf = samples.Where(s => s.Seconds > half).Select(s => bytes(s) / Mib).DefaultIfEmpty(double.NaN).Max();
        return new MemoryTrend(
            values[0],
            values[^1],
            values.Min(),
            values.Max(),
            Slope(samples, bytes, 0),
            Slope(samples, bytes, settleSeconds),
            secondHalf / firstHalf);
    }

    private static double Slope(IReadOnlyList<MemorySample> samples, Func<MemorySample, double> bytes, double fromSeconds)
    {
        var points = samples.Where(s => s.Seconds >= fromSeconds).Select(s => (X: s.Seconds / 60, Y: bytes(s) / Mib)).ToList();
        if (points.Count < 2)
        {
            return double.NaN;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var covariance = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var variance = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return variance == 0 ? double.NaN : covariance / variance;
    }
}
