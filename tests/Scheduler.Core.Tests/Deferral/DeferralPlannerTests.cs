using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Tests.Deferral;

public class DeferralPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly DeferralSettings Settings = new() { SafetyMargin = TimeSpan.FromMinutes(30), MinimumImprovementPercent = 5, MinimumRun = TimeSpan.FromHours(1), MaxInterruptions = 4 };

    [Fact]
    public void Plan_CleanHoursBeforeTheDeadline_HoldsUntilThem()
    {
        // 400 g all day but 100 g from 10:00 to 12:00; a 2 h job due at 18:00.
        var zones = Zones(("DE", Hourly(h => h is 10 or 11 ? 100 : 400)));

        var plan = DeferralPlanner.Plan(Request(hours: 2, deadlineHour: 18), Now, zones, Settings);

        Assert.Equal("DE", plan.Zone);
        Assert.Equal(Now.AddHours(10), plan.Start);
        Assert.Equal(Now.AddHours(15.5), plan.LatestStart);
        Assert.Equal(100, plan.ExpectedIntensity!.Value, 9);
        Assert.Equal(400, plan.BaselineIntensity!.Value, 9);
        Assert.Equal(75, plan.SavedPercent, 9);
        Assert.True(plan.HoldsAt(Now));
        Assert.StartsWith("held until 2026-11-24T10:00Z in DE: 100 gCO2eq/kWh expected against 400 now (75 % less); latest safe start 2026-11-24T15:30Z", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_CleanHoursWithinTheSafetyMargin_AreNotUsed()
    {
        // Clean only 17:00-18:00; due at 18:00 with a 30-minute margin: the clean hour is out of reach.
        var zones = Zones(("DE", Hourly(h => h == 17 ? 10 : h == 16 ? 200 : 400)));

        var plan = DeferralPlanner.Plan(Request(1, 18), Now, zones, Settings);

        // The best window that ends by 17:30 takes the clean hour's first half: 16:30-17:30 at 105 g.
        Assert.Equal(Now.AddHours(16.5), plan.Start);
        Assert.Equal(Now.AddHours(17.5), plan.Runs[^1].End);
        Assert.Equal(105, plan.ExpectedIntensity!.Value, 9);
    }

    [Fact]
    public void Plan_NoSlack_RunsAtOnceAndSaysWhy()
    {
        var plan = DeferralPlanner.Plan(Request(2, 2), Now, Zones(("DE", Hourly(_ => 100))), Settings);

        Assert.False(plan.HoldsAt(Now));
        Assert.Equal(Now, plan.Start);
        Assert.Null(plan.Zone);
        Assert.StartsWith("no slack: a 2 h run had to start by 2026-11-23T23:30Z", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SavingBelowTheThreshold_RunsAtOnce()
    {
        var plan = DeferralPlanner.Plan(Request(1, 12), Now, Zones(("DE", Hourly(h => h == 5 ? 97 : 100))), Settings);

        Assert.False(plan.HoldsAt(Now));
        Assert.Contains("would save only 3 %", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ReleaseNowAnnotation_RunsAtOnce()
    {
        var plan = DeferralPlanner.Plan(Request(1, 24) with { ReleaseNow = true }, Now, Zones(("DE", Hourly(h => h == 5 ? 1 : 400))), Settings);

        Assert.False(plan.HoldsAt(Now));
        Assert.Contains("release-now", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SeveralZones_PicksTheCleanestAndComparesWithTheFirstNow()
    {
        var zones = Zones(("DE", Hourly(_ => 400)), ("FR", Hourly(h => h == 3 ? 20 : 60)));

        var plan = DeferralPlanner.Plan(Request(1, 12), Now, zones, Settings);

        Assert.Equal("FR", plan.Zone);
        Assert.Equal(Now.AddHours(3), plan.Start);
        Assert.Equal(400, plan.BaselineIntensity!.Value, 9);
    }

    [Fact]
    public void Plan_Interruptible_RunsInTheCleanestStretchesWithinTheLimitOnStops()
    {
        // Clean hours at 2, 5, 8, 11, 14 and 17: a 3 h job with at most 1 stop cannot use three of them.
        var zones = Zones(("DE", Hourly(h => h % 3 == 2 ? 50 : 300)));
        var settings = Settings with { MaxInterruptions = 1 };

        var plan = DeferralPlanner.Plan(Request(3, 23) with { Interruptible = true }, Now, zones, settings);

        Assert.True(plan.Runs.Count <= 2, $"{plan.Runs.Count} stretches");
        Assert.Equal(TimeSpan.FromHours(3), TimeSpan.FromTicks(plan.Runs.Sum(r => r.Length.Ticks)));
        Assert.All(plan.Runs, r => Assert.True(r.End <= Now.AddHours(22.5)));
        Assert.True(plan.ExpectedIntensity < 300);
    }

    [Fact]
    public void Plan_InterruptibleWithoutALimit_TakesEveryCleanHour()
    {
        var zones = Zones(("DE", Hourly(h => h is 2 or 5 or 8 ? 50 : 300)));

        var plan = DeferralPlanner.Plan(Request(3, 23) with { Interruptible = true }, Now, zones, Settings);

        Assert.Equal([2, 5, 8], plan.Runs.Select(r => (int)(r.Start - Now).TotalHours));
        Assert.Equal(50, plan.ExpectedIntensity!.Value, 9);
    }

    [Fact]
    public void Replan_SmallImprovement_KeepsTheCurrentTimes()
    {
        var before = Zones(("DE", Hourly(h => h == 10 ? 100 : 400)));
        var after = Zones(("DE", Hourly(h => h == 10 ? 100 : h == 6 ? 97 : 400)));
        var current = DeferralPlanner.Plan(Request(1, 18), Now, before, Settings);

        var revised = DeferralPlanner.Replan(current, Request(1, 18), Now.AddHours(1), after, Settings);

        Assert.Equal(Now.AddHours(10), revised.Start);
    }

    [Fact]
    public void Replan_ForecastMovesTheCleanHours_MovesTheRelease()
    {
        var before = Zones(("DE", Hourly(h => h == 10 ? 100 : 400)));
        var after = Zones(("DE", Hourly(h => h == 6 ? 50 : h == 10 ? 300 : 400)));
        var current = DeferralPlanner.Plan(Request(1, 18), Now, before, Settings);

        var revised = DeferralPlanner.Replan(current, Request(1, 18), Now.AddHours(1), after, Settings);

        Assert.Equal(Now.AddHours(6), revised.Start);
        Assert.StartsWith("moved (83.3 % cleaner than the previous plan)", revised.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Replan_DeadlineBroughtForward_NeverKeepsAPlanThatWouldMissIt()
    {
        var zones = Zones(("DE", Hourly(h => h == 10 ? 100 : 400)));
        var current = DeferralPlanner.Plan(Request(1, 18), Now, zones, Settings);

        var revised = DeferralPlanner.Replan(current, Request(1, 8), Now.AddHours(1), zones, Settings);

        Assert.True(revised.Runs[^1].End <= Now.AddHours(7.5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Plan_RandomJobs_NeverPlanPastTheLatestSafeStart(int seed)
    {
        var random = new Random(seed);
        var zones = Zones(
            ("A", new IntensitySeries(Now, TimeSpan.FromMinutes(30), Enumerable.Range(0, 200).Select(_ => 50 + (400 * random.NextDouble())).ToArray())),
            ("B", new IntensitySeries(Now, TimeSpan.FromMinutes(30), Enumerable.Range(0, 200).Select(_ => 50 + (400 * random.NextDouble())).ToArray())));
        for (var i = 0; i < 300; i++)
        {
            var now = Now.AddMinutes(random.Next(0, 48 * 60));
            var duration = TimeSpan.FromMinutes(random.Next(10, 12 * 60));
            var request = new DeferralRequest(now, now + duration + TimeSpan.FromMinutes(random.Next(0, 36 * 60)), duration, random.Next(2) == 0, [], false);

            var plan = DeferralPlanner.Plan(request, now, zones, Settings);

            Assert.True(plan.Start >= now, $"starts before now ({plan.Reason})");
            Assert.Equal(duration, TimeSpan.FromTicks(plan.Runs.Sum(r => r.Length.Ticks)));
            Assert.True(plan.Runs.Count - 1 <= Settings.MaxInterruptions);
            if (plan.HoldsAt(now))
            {
                Assert.True(plan.Start <= plan.LatestStart, $"held past the latest safe start ({plan.Reason})");
                Assert.True(plan.Runs[^1].End <= request.Deadline - Settings.SafetyMargin, $"finishes inside the margin ({plan.Reason})");
            }
        }
    }

    private static IntensitySeries Hourly(Func<int, double> gramsPerKwh) =>
        new(Now, TimeSpan.FromHours(1), Enumerable.Range(0, 24).Select(gramsPerKwh).ToArray());

    private static List<(string Zone, IntensitySeries Forecast)> Zones(params (string Zone, IntensitySeries Forecast)[] zones) => [.. zones];

    private static DeferralRequest Request(int hours, int deadlineHour) =>
        new(Now, Now.AddHours(deadlineHour), TimeSpan.FromHours(hours), Interruptible: false, [], ReleaseNow: false);
}
