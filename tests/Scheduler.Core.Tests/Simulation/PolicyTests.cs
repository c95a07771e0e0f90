using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Core.Tests.Simulation;

public class PolicyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Threshold_Interruptible_RunsOnlyInTheCleanHours()
    {
        // Clean (10 g) at 2, 5 and 9 h: the 10th percentile of the coming day is 10 g.
        var forecast = Hourly(h => h is 2 or 5 or 9 ? 10 : h < 12 ? 500 : 100);
        var job = Job(submit: 0, hours: 3, deadlineHour: 24) with { Interruptible = true };

        var run = new ThresholdPolicy(Percentile: 10).Place(job, Forecasts(forecast));

        Assert.Equal([2, 5, 9], run.Chunks.Select(c => (int)(c.Start - T0).TotalHours));
        Assert.All(run.Chunks, c => Assert.Equal(TimeSpan.FromHours(1), c.Length));
    }

    [Fact]
    public void Threshold_CleanHoursTooLate_RunsThroughToMeetTheDeadline()
    {
        // Only hour 20 is clean, but the 4 h job must finish by 10:00: it runs from the latest safe start.
        var forecast = Hourly(h => h == 20 ? 10 : 500);
        var job = Job(0, 4, 10) with { Interruptible = true };

        var run = new ThresholdPolicy(Percentile: 1).Place(job, Forecasts(forecast));

        Assert.Equal(T0.AddHours(6), run.Start);
        Assert.Equal(T0.AddHours(10), run.End);
        Assert.Equal(TimeSpan.FromHours(4), TimeSpan.FromTicks(run.Chunks.Sum(c => c.Length.Ticks)));
    }

    [Fact]
    public void Threshold_NotInterruptible_StartsAtTheFirstCleanHour()
    {
        var forecast = Hourly(h => h is 3 or 15 ? 10 : 500);

        var run = new ThresholdPolicy(Percentile: 5).Place(Job(0, 2, 24), Forecasts(forecast));

        Assert.Equal(T0.AddHours(3), run.Start);
        Assert.Single(run.Chunks);
    }

    [Fact]
    public void CarbonTime_PrefersAnEarlySmallSavingToALateLargeOne()
    {
        // Starting at 1:00 saves 100 g/kWh for 1 h of delay; at 10:00, 300 g/kWh for 10 h: 100 > 30 per hour.
        var forecast = Hourly(h => h switch { 0 => 400, 1 => 300, 10 => 100, _ => 400 });

        var run = new CarbonTimePolicy().Place(Job(0, 1, 24), Forecasts(forecast));

        Assert.Equal(T0.AddHours(1), run.Start);
    }

    [Fact]
    public void CarbonTime_NothingToSave_RunsAtSubmission()
    {
        var run = new CarbonTimePolicy().Place(Job(3, 2, 24), Forecasts(Hourly(_ => 250)));

        Assert.Equal(T0.AddHours(3), run.Start);
    }

    [Fact]
    public void LowestSlotsAcrossZones_PicksTheZoneWhoseCleanestHoursAreCleanest()
    {
        // A's two cleanest hours average 30 g, B's 25 g (one 10 g hour and one 40 g hour).
        var forecasts = new PerfectForecasts(new Dictionary<string, IntensitySeries>
        {
            ["A"] = Hourly(h => h is 3 or 7 ? 30 : 100),
            ["B"] = Hourly(h => h == 5 ? 10 : h == 20 ? 40 : 100),
        });
        var job = Job(0, 2, 24) with { Interruptible = true, Zones = ["A", "B"] };

        var run = new LowestSlotsPolicy(TimeSpan.FromHours(1), AcrossZones: true).Place(job, forecasts);
        var home = new LowestSlotsPolicy(TimeSpan.FromHours(1)).Place(job, forecasts);

        Assert.Equal("B", run.Zone);
        Assert.Equal([5, 20], run.Chunks.Select(c => (int)(c.Start - T0).TotalHours));
        Assert.Equal("A", home.Zone);
        Assert.Equal([3, 7], home.Chunks.Select(c => (int)(c.Start - T0).TotalHours));
    }

    [Fact]
    public void LowestSlotsAcrossZones_EquallyClean_StaysInTheHomeZone()
    {
        var forecasts = new PerfectForecasts(new Dictionary<string, IntensitySeries> { ["A"] = Hourly(_ => 50), ["B"] = Hourly(_ => 50) });
        var job = Job(0, 2, 24) with { Interruptible = true, Zones = ["A", "B"] };

        Assert.Equal("A", new LowestSlotsPolicy(TimeSpan.FromHours(1), AcrossZones: true).Place(job, forecasts).Zone);
    }

    [Fact]
    public void Catalog_EveryName_CreatesThatPolicy()
    {
        foreach (var name in PolicyCatalog.Names)
        {
            Assert.Equal(name, PolicyCatalog.Create(name, TimeSpan.FromMinutes(30))!.Name);
        }

        Assert.Null(PolicyCatalog.Create("greedy", TimeSpan.Zero));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void NewPolicies_RandomTraces_NeverStartEarlyNorMissAFeasibleDeadline(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 24 * 14).Select(_ => 50 + (400 * random.NextDouble())).ToArray();
        var actuals = new Dictionary<string, IntensitySeries> { ["A"] = new(T0, TimeSpan.FromHours(1), values) };
        var jobs = Enumerable.Range(0, 200).Select(i =>
        {
            var submitMinutes = random.Next(0, 24 * 60 * 10);
            var minutes = random.Next(30, 12 * 60);
            var submit = T0.AddMinutes(submitMinutes);
            return new SimulationJob($"j{i}", submit, TimeSpan.FromMinutes(minutes), submit.AddMinutes(minutes + random.Next(0, 48 * 60)), 500, random.Next(2) == 0, ["A"]);
        }).ToArray();

        foreach (var policy in new IPlacementPolicy[] { new ThresholdPolicy(), new CarbonTimePolicy() })
        {
            var report = Simulator.Run(jobs, policy, actuals, new PerfectForecasts(actuals));

            Assert.Equal(0, report.MissedDeadlines);
            Assert.All(report.Outcomes, o =>
            {
                Assert.True(o.Run.Start >= o.Job.Submit, $"{policy.Name}: {o.Job.Id} starts before its submission");
                Assert.Equal(o.Job.Duration, TimeSpan.FromTicks(o.Run.Chunks.Sum(c => c.Length.Ticks)));
                Assert.True(o.Run.Chunks.Zip(o.Run.Chunks.Skip(1)).All(p => p.First.End <= p.Second.Start), $"{policy.Name}: {o.Job.Id} overlaps itself");
            });
        }
    }

    private static IntensitySeries Hourly(Func<int, double> gramsPerKwh) =>
        new(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 24).Select(gramsPerKwh).ToArray());

    private static PerfectForecasts Forecasts(IntensitySeries series) =>
        new(new Dictionary<string, IntensitySeries> { ["A"] = series });

    private static SimulationJob Job(int submit, int hours, int deadlineHour) =>
        new("j", T0.AddHours(submit), TimeSpan.FromHours(hours), T0.AddHours(deadlineHour), 1000, false, ["A"]);
}
