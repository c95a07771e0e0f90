using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Tests.Planning;

public class WindowPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static IntensitySeries Hourly(params double[] values) => new(T0, TimeSpan.FromHours(1), values);

    [Fact]
    public void FindBest_CleanDip_StartsAtTheDip()
    {
        var plan = WindowPlanner.FindBest(Hourly(400, 300, 100, 120, 500, 500), T0, T0.AddHours(6), TimeSpan.FromHours(2))!;

        Assert.Equal(T0.AddHours(2), plan.Start);
        Assert.Equal(T0.AddHours(4), plan.End);
        Assert.Equal(110, plan.MeanIntensityGramsPerKwh, 9);
        Assert.Equal(350, plan.IntensityIfNowGramsPerKwh, 9);
        Assert.Equal(100.0 * 240 / 350, plan.SavedPercent, 9);
    }

    [Fact]
    public void FindBest_Ties_GoToTheEarliestStart()
    {
        var plan = WindowPlanner.FindBest(Hourly(300, 100, 300, 100, 300), T0, T0.AddHours(5), TimeSpan.FromHours(1))!;
        Assert.Equal(T0.AddHours(1), plan.Start);
    }

    [Fact]
    public void FindBest_Deadline_IsNeverPassed()
    {
        // The cleanest hour is at 04:00, but the job must finish by 04:00.
        var plan = WindowPlanner.FindBest(Hourly(300, 200, 250, 300, 10), T0, T0.AddHours(4), TimeSpan.FromHours(1))!;
        Assert.Equal(T0.AddHours(1), plan.Start);
        Assert.True(plan.End <= T0.AddHours(4));
    }

    [Fact]
    public void FindBest_PartialSteps_AreWeightedByOverlap()
    {
        // [00:30, 02:00) sees 30 min of 100 and 60 min of 0: 33.3. Starting earlier adds more 100,
        // later adds 600, so the optimum starts inside the first step.
        var plan = WindowPlanner.FindBest(Hourly(100, 0, 600), T0, T0.AddHours(3), TimeSpan.FromMinutes(90))!;
        Assert.Equal(T0.AddMinutes(30), plan.Start);
        Assert.Equal(100.0 / 3, plan.MeanIntensityGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_EarliestStartInsideAStep_IsACandidate()
    {
        var plan = WindowPlanner.FindBest(Hourly(100, 500, 500), T0.AddMinutes(20), T0.AddHours(3), TimeSpan.FromMinutes(30))!;
        Assert.Equal(T0.AddMinutes(20), plan.Start);
        Assert.Equal(100, plan.MeanIntensityGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_WindowMustEndByTheDataEnd()
    {
        var plan = WindowPlanner.FindBest(Hourly(300, 300, 10), T0, T0.AddHours(10), TimeSpan.FromHours(2))!;
        Assert.Equal(T0.AddHours(1), plan.Start);
        Assert.Equal(T0.AddHours(3), plan.End);
    }

    [Fact]
    public void FindBest_NoRoomForTheJob_IsNull()
    {
        Assert.Null(WindowPlanner.FindBest(Hourly(1, 2, 3), T0, T0.AddHours(1), TimeSpan.FromHours(2)));
        Assert.Null(WindowPlanner.FindBest(Hourly(1, 2, 3), T0.AddHours(5), T0.AddHours(9), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void FindBest_AgreesWithBruteForceOnRandomSeries()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 200; trial++)
        {
            var stepMinutes = new[] { 5, 15, 30, 60 }[random.Next(4)];
            var values = Enumerable.Range(0, random.Next(2, 60)).Select(_ => (double)random.Next(0, 50) * 10).ToArray();
            var series = new IntensitySeries(T0, TimeSpan.FromMinutes(stepMinutes), values);
            var total = (int)(series.End - series.Start).TotalMinutes;
            var earliest = T0.AddMinutes(random.Next(0, total));
            var deadline = earliest.AddMinutes(random.Next(1, total));
            var duration = TimeSpan.FromMinutes(random.Next(1, Math.Max(2, total / 2)));

            var plan = WindowPlanner.FindBest(series, earliest, deadline, duration);

            // Brute force over every whole-minute start.
            DateTimeOffset? bestStart = null;
            var bestMean = double.PositiveInfinity;
            for (var start = earliest; start + duration <= deadline && start + duration <= series.End; start = start.AddMinutes(1))
            {
                var mean = series.MeanOver(start, start + duration)!.Value;
                if (mean < bestMean - 1e-9)
                {
                    bestMean = mean;
                    bestStart = start;
                }
            }

            if (bestStart is null)
            {
                Assert.Null(plan);
                continue;
            }

            Assert.NotNull(plan);
            Assert.True(plan.MeanIntensityGramsPerKwh <= bestMean + 1e-6, $"trial {trial}: planner {plan.MeanIntensityGramsPerKwh} worse than brute force {bestMean}");
            Assert.True(plan.Start >= earliest && plan.End <= deadline && plan.End <= series.End, $"trial {trial}: window out of bounds");
            Assert.Equal(series.MeanOver(plan.Start, plan.End)!.Value, plan.MeanIntensityGramsPerKwh, 6);
            if (Math.Abs(plan.MeanIntensityGramsPerKwh - bestMean) < 1e-6)
            {
                Assert.True(plan.Start <= bestStart, $"trial {trial}: a tie must go to the earliest start");
            }
        }
    }

    [Fact]
    public void FindBest_CarbonAwareSdkRollingAverage_SameOptimalWindow()
    {
        // The SDK's RollingAverage: 5-minute points, a 10-minute window, windows starting at each
        // point and ending by the data end; averages 15, 25, 17.5, 5 -> the optimal window starts at +15.
        var series = new IntensitySeries(T0, TimeSpan.FromMinutes(5), [10, 20, 30, 5, 5]);

        var plan = WindowPlanner.FindBest(series, T0, series.End, TimeSpan.FromMinutes(10))!;

        Assert.Equal(T0.AddMinutes(15), plan.Start);
        Assert.Equal(series.End, plan.End);
        Assert.Equal(5, plan.MeanIntensityGramsPerKwh, 9);
        Assert.Equal(15, plan.IntensityIfNowGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_CarbonAwareSdkTies_TakeTheEarliestAsItsConsumersDo()
    {
        // GetOptimalEmissions returns every tied window in time order; consumers take the first.
        var series = new IntensitySeries(T0, TimeSpan.FromMinutes(5), [50, 10, 10, 50, 10, 10, 50]);
        var plan = WindowPlanner.FindBest(series, T0, series.End, TimeSpan.FromMinutes(10))!;
        Assert.Equal(T0.AddMinutes(5), plan.Start);
    }
}
