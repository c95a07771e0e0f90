using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Core.Tests.Simulation;

public class CapacityTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    // 100 g all day but 20 g from 10:00 to 12:00.
    private static readonly Dictionary<string, IntensitySeries> Actuals = new()
    {
        ["A"] = new IntensitySeries(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 48).Select(h => h is 10 or 11 ? 20.0 : 100.0).ToArray()),
    };

    [Fact]
    public void Run_OneJobAtATime_TheSecondJobWaitsForTheCleanHoursToFree()
    {
        var jobs = new[] { Job("a", 0, 2, 24), Job("b", 0, 2, 24) };

        var report = Simulator.Run(jobs, new LowestWindowPolicy(), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(MaxJobs: 1, MaxGpus: null));

        // Both want 10:00-12:00; the first takes it and the second runs 12:00-14:00 at 100 g.
        Assert.Equal(T0.AddHours(10), report.Outcomes[0].Run.Start);
        Assert.Equal(T0.AddHours(12), report.Outcomes[1].Run.Start);
        Assert.Equal(40 + 200, report.PolicyGrams, 9);
        Assert.Equal((10 + 12) / 2.0, report.MeanDelayHours, 9);
    }

    [Fact]
    public void Run_WithCapacity_TheBaselineQueuesToo()
    {
        // Three jobs submitted at once on a one-job cluster: without us they run back to back.
        var jobs = new[] { Job("a", 0, 2, 48), Job("b", 0, 2, 48), Job("c", 0, 2, 48) };

        var report = Simulator.Run(jobs, new ImmediatePolicy(), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(MaxJobs: 1, MaxGpus: null));

        Assert.Equal([T0, T0.AddHours(2), T0.AddHours(4)], report.Outcomes.Select(o => o.Run.Start));
        Assert.Equal(report.BaselineGrams, report.PolicyGrams, 9);
        Assert.Equal((0 + 2 + 4) / 3.0, report.MeanDelayHours, 9);
    }

    [Fact]
    public void Run_GpuLimit_JobsThatFitTogetherShareTheCleanHours()
    {
        var jobs = new[] { Job("a", 0, 2, 24) with { Gpus = 4 }, Job("b", 0, 2, 24) with { Gpus = 4 }, Job("c", 0, 2, 24) with { Gpus = 1 } };

        var report = Simulator.Run(jobs, new LowestWindowPolicy(), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(MaxJobs: null, MaxGpus: 8));

        Assert.Equal([T0.AddHours(10), T0.AddHours(10), T0.AddHours(12)], report.Outcomes.Select(o => o.Run.Start));
    }

    [Fact]
    public void Run_QueueingPastTheDeadline_IsAMissedDeadline()
    {
        var jobs = new[] { Job("a", 0, 2, 12), Job("b", 0, 2, 12) };

        var report = Simulator.Run(jobs, new LowestWindowPolicy(), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(MaxJobs: 1, MaxGpus: null));

        Assert.Equal(1, report.MissedDeadlines);
        Assert.True(report.Outcomes[1].MissedDeadline);
    }

    [Fact]
    public void Run_InterruptibleJob_EachStretchWaitsForRoomAndKeepsItsLength()
    {
        var busy = Job("busy", 10, 1, 11);
        var slots = Job("slots", 0, 2, 24) with { Interruptible = true };

        var report = Simulator.Run([busy, slots], new LowestSlotsPolicy(TimeSpan.FromHours(1)), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(MaxJobs: 1, MaxGpus: null));

        // "busy" was submitted later but holds 10:00-11:00 first only if it came first; it came later,
        // so "slots" (submitted first) takes 10:00-12:00 and "busy" waits until 12:00.
        var byId = report.Outcomes.ToDictionary(o => o.Job.Id);
        Assert.Equal(T0.AddHours(10), byId["slots"].Run.Start);
        Assert.Equal(TimeSpan.FromHours(2), TimeSpan.FromTicks(byId["slots"].Run.Chunks.Sum(c => c.Length.Ticks)));
        Assert.Equal(T0.AddHours(12), byId["busy"].Run.Start);
    }

    [Fact]
    public void Run_JobLargerThanTheCluster_IsRefusedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => Simulator.Run(
            [Job("huge", 0, 1, 24) with { Gpus = 16 }], new ImmediatePolicy(), Actuals, new PerfectForecasts(Actuals), new ClusterCapacity(null, MaxGpus: 8)));

        Assert.Contains("huge", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_RandomTraces_NeverExceedTheCapacity(int seed)
    {
        var random = new Random(seed);
        var jobs = Enumerable.Range(0, 150).Select(i =>
        {
            var submit = random.Next(0, 24);
            var hours = random.Next(1, 6);
            return Job($"j{i}", submit, hours, submit + hours + random.Next(0, 12)) with { Gpus = random.Next(1, 4), Interruptible = random.Next(2) == 0 };
        }).ToArray();
        var longActuals = new Dictionary<string, IntensitySeries>
        {
            ["A"] = new IntensitySeries(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 24 * 60).Select(_ => 50 + (300 * random.NextDouble())).ToArray()),
        };
        var capacity = new ClusterCapacity(MaxJobs: 5, MaxGpus: 8);

        foreach (IPlacementPolicy policy in new IPlacementPolicy[] { new ImmediatePolicy(), new LowestWindowPolicy(), new LowestSlotsPolicy(TimeSpan.FromHours(1)), new ThresholdPolicy() })
        {
            var report = Simulator.Run(jobs, policy, longActuals, new PerfectForecasts(longActuals), capacity);

            Assert.Equal(jobs.Length, report.Outcomes.Count);
            for (var minute = 0; minute < 24 * 60 * 60; minute += 7)
            {
                var at = T0.AddMinutes(minute);
                var running = report.Outcomes.Where(o => o.Run.Chunks.Any(c => c.Start <= at && at < c.End)).ToList();
                Assert.True(running.Count <= 5, $"{policy.Name}: {running.Count} jobs at {at:O}");
                Assert.True(running.Sum(o => o.Job.Gpus) <= 8, $"{policy.Name}: {running.Sum(o => o.Job.Gpus)} GPUs at {at:O}");
            }

            Assert.All(report.Outcomes, o =>
            {
                Assert.True(o.Run.Start >= o.Job.Submit, $"{policy.Name}: {o.Job.Id} starts before its submission");
                Assert.Equal(o.Job.Duration, TimeSpan.FromTicks(o.Run.Chunks.Sum(c => c.Length.Ticks)));
            });
        }
    }

    private static SimulationJob Job(string id, int submit, int hours, int deadlineHour) =>
        new(id, T0.AddHours(submit), TimeSpan.FromHours(hours), T0.AddHours(deadlineHour), 1000, false, ["A"]);
}
