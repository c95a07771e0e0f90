using System.Buffers;
using Scheduler.Core.Intensity;

namespace Scheduler.Core.Planning;

/// <summary>
/// Plans a job that may be suspended and resumed: the cleanest forecast steps between S and T that
/// add up to D, where every uninterrupted stretch lasts at least a minimum chunk length.
/// </summary>
/// <remarks>
/// Works on whole forecast steps that lie inside [S, T] and within the forecast; D and the minimum
/// chunk are rounded up to whole steps. Without a minimum chunk (one step) the answer is simply the
/// cleanest steps; with one, a dynamic programme over (step, steps taken, length of the current
/// stretch) finds the exact optimum in O(n x k x m) for n steps, k steps to run and a minimum of m
/// steps per stretch. Among equally clean plans it runs as early as possible.
/// </remarks>
public static class InterruptiblePlanner
{
    private const double Tolerance = 1e-9;

    /// <summary>The plan, or <c>null</c> when D does not fit between S and T within the forecast.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive or the minimum chunk is negative.</exception>
    public static InterruptiblePlan? FindBest(
        IntensitySeries forecast,
        DateTimeOffset earliestStart,
        DateTimeOffset deadline,
        TimeSpan duration,
        TimeSpan minimumChunk)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumChunk, TimeSpan.Zero);

        var step = forecast.Step;
        var first = (int)Math.Max(0, CeilDiv((earliestStart - forecast.Start).Ticks, step.Ticks));
        var end = (int)Math.Min(forecast.Count, Math.Floor((deadline - forecast.Start).Ticks / (double)step.Ticks));
        var k = (int)CeilDiv(duration.Ticks, step.Ticks);
        var m = (int)Math.Max(1, CeilDiv(minimumChunk.Ticks, step.Ticks));
        var n = end - first;

        // A run shorter than the minimum chunk still goes, in one piece.
        m = Math.Min(m, k);
        if (n < k)
        {
            return null;
        }

        var values = forecast.Values.Slice(first, n);
        var taken = m == 1 ? CleanestSteps(values, k) : WithMinimumChunk(values, k, m);
        if (taken is null)
        {
            return null;
        }

        var chunks = new List<RunChunk>();
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (!taken[i])
            {
                continue;
            }

            sum += values[i];
            var start = forecast.Start + (step * (first + i));
            if (chunks.Count > 0 && chunks[^1].End == start)
            {
                chunks[^1] = chunks[^1] with { End = start + step };
            }
            else
            {
                chunks.Add(new RunChunk(start, start + step));
            }
        }

        var now = forecast.Start + (step * first);
        var ifNow = forecast.MeanOver(now, now + duration) ?? double.NaN;
        return new InterruptiblePlan(chunks, sum / k, ifNow);
    }

    private static bool[] CleanestSteps(ReadOnlySpan<double> values, int k)
    {
        // Stable order by value keeps earlier steps first among equals.
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = values.ToArray();
        Array.Sort(order, Comparer<int>.Create((a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b)));
        var taken = new bool[values.Length];
        for (var i = 0; i < k; i++)
        {
            taken[order[i]] = true;
        }

        return taken;
    }

    private static bool[]? WithMinimumChunk(ReadOnlySpan<double> values, int k, int m)
    {
        // cost[i, j, r]: least cost to finish from step i, having taken j steps, in a stretch of
        // length r (0 = not running, m = at least m). Filled backwards so the forward walk can
        // prefer running early among equal costs.
        var n = values.Length;
        var states = (k + 1) * (m + 1);

        // The table is (n + 1) x (k + 1) x (m + 1): hundreds of KB for a long job, so it is rented
        // rather than left to the large-object heap on every plan. Every cell read is written first.
        var cost = ArrayPool<double>.Shared.Rent((n + 1) * states);
        try
        {
            return Solve(values, k, m, cost, states);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(cost);
        }
    }

    private static bool[]? Solve(ReadOnlySpan<double> values, int k, int m, double[] cost, int states)
    {
        var n = values.Length;
        double Get(int i, int j, int r) => cost[(i * states) + (j * (m + 1)) + r];
        void Set(int i, int j, int r, double v) => cost[(i * states) + (j * (m + 1)) + r] = v;

        for (var j = 0; j <= k; j++)
        {
            for (var r = 0; r <= m; r++)
            {
                Set(n, j, r, j == k && (r == 0 || r == m) ? 0 : double.PositiveInfinity);
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = 0; j <= k; j++)
            {
                for (var r = 0; r <= m; r++)
                {
                    var best = double.PositiveInfinity;
                    if (j < k)
                    {
                        best = values[i] + Get(i + 1, j + 1, Math.Min(r + 1, m));
                    }

                    if (r == 0 || r == m)
                    {
                        best = Math.Min(best, Get(i + 1, j, 0));
                    }

                    Set(i, j, r, best);
                }
            }
        }

        if (double.IsPositiveInfinity(Get(0, 0, 0)))
        {
            return null;
        }

        var taken = new bool[n];
        int steps = 0, run = 0;
        for (var i = 0; i < n; i++)
        {
            var target = Get(i, steps, run);
            if (steps < k && values[i] + Get(i + 1, steps + 1, Math.Min(run + 1, m)) <= target + Tolerance)
            {
                taken[i] = true;
                steps++;
                run = Math.Min(run + 1, m);
            }
            else
            {
                run = 0;
            }
        }

        return taken;
    }

    private static long CeilDiv(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
