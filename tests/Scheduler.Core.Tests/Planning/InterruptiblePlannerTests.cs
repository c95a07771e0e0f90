using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Tests.Planning;

public class InterruptiblePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static IntensitySeries Hourly(params double[] values) => new(T0, TimeSpan.FromHours(1), values);

    [Fact]
    public void FindBest_NoMinimumChunk_TakesTheCleanestSteps()
    {
        var plan = InterruptiblePlanner.FindBest(Hourly(500, 100, 400, 50, 300, 80), T0, T0.AddHours(6), TimeSpan.FromHours(3), TimeSpan.Zero)!;

        Assert.Equal([new RunChunk(T0.AddHours(1), T0.AddHours(2)), new RunChunk(T0.AddHours(3), T0.AddHours(4)), new RunChunk(T0.AddHours(5), T0.AddHours(6))], plan.Chunks);
        Assert.Equal(230.0 / 3, plan.MeanIntensityGramsPerKwh, 9);
        Assert.Equal(2, plan.Interruptions);
        Assert.Equal(1000.0 / 3, plan.IntensityIfNowGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_MinimumChunk_KeepsStretchesLongEnough()
    {
        // Alone the cleanest steps are 1, 3 and 5; with stretches of at least 2 h the best is 03:00-06:00.
        var plan = InterruptiblePlanner.FindBest(Hourly(500, 100, 400, 50, 60, 80), T0, T0.AddHours(6), TimeSpan.FromHours(3), TimeSpan.FromHours(2))!;

        Assert.All(plan.Chunks, c => Assert.True(c.Length >= TimeSpan.FromHours(2)));
        Assert.Equal([new RunChunk(T0.AddHours(3), T0.AddHours(6))], plan.Chunks);
        Assert.Equal(190.0 / 3, plan.MeanIntensityGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_Ties_RunAsEarlyAsPossible()
    {
        var plan = InterruptiblePlanner.FindBest(Hourly(100, 100, 100, 100), T0, T0.AddHours(4), TimeSpan.FromHours(2), TimeSpan.FromHours(1))!;
        Assert.Equal([new RunChunk(T0, T0.AddHours(2))], plan.Chunks);

        var chunked = InterruptiblePlanner.FindBest(Hourly(100, 100, 100, 100, 100), T0, T0.AddHours(5), TimeSpan.FromHours(2), TimeSpan.FromHours(2))!;
        Assert.Equal([new RunChunk(T0, T0.AddHours(2))], chunked.Chunks);
    }

    [Fact]
    public void FindBest_RunShorterThanMinimumChunk_GoesInOnePiece()
    {
        var plan = InterruptiblePlanner.FindBest(Hourly(300, 200, 100, 400), T0, T0.AddHours(4), TimeSpan.FromHours(1), TimeSpan.FromHours(3))!;
        Assert.Equal([new RunChunk(T0.AddHours(2), T0.AddHours(3))], plan.Chunks);
    }

    [Fact]
    public void FindBest_NotEnoughStepsBeforeTheDeadline_IsNull() =>
        Assert.Null(InterruptiblePlanner.FindBest(Hourly(1, 2, 3), T0.AddMinutes(30), T0.AddHours(3), TimeSpan.FromHours(3), TimeSpan.Zero));

    [Fact]
    public void FindBest_AgreesWithExhaustiveSearch()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(1, 12);
            var values = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 20) * 10).ToArray();
            var k = random.Next(1, n + 1);
            var m = random.Next(1, 4);
            var plan = InterruptiblePlanner.FindBest(Hourly(values), T0, T0.AddHours(n), TimeSpan.FromHours(k), TimeSpan.FromHours(m));

            var effectiveMinimum = Math.Min(m, k);
            var best = double.PositiveInfinity;
            for (var mask = 0; mask < 1 << n; mask++)
            {
                if (System.Numerics.BitOperations.PopCount((uint)mask) != k || !StretchesAtLeast(mask, n, effectiveMinimum))
                {
                    continue;
                }

                best = Math.Min(best, Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).Sum(i => values[i]));
            }

            if (double.IsPositiveInfinity(best))
            {
                Assert.Null(plan);
                continue;
            }

            Assert.NotNull(plan);
            Assert.Equal(best / k, plan.MeanIntensityGramsPerKwh, 6);
            Assert.Equal(TimeSpan.FromHours(k), plan.Chunks.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Length));
            Assert.All(plan.Chunks, c => Assert.True(c.Length >= TimeSpan.FromHours(effectiveMinimum), $"trial {trial}: stretch too short"));
        }
    }

    private static bool StretchesAtLeast(int mask, int n, int minimum)
    {
        var run = 0;
        for (var i = 0; i <= n; i++)
        {
            if (i < n && (mask & (1 << i)) != 0)
            {
                run++;
            }
            else
            {
                if (run > 0 && run < minimum)
                {
                    return false;
                }

                run = 0;
            }
        }

        return true;
    }
}
