using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Core.Tests.Simulation;

public class SimulatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Run_LowestWindow_MovesTheJobToTheCleanHoursAndCountsTheSaving()
    {
        // 100 g all day but 20 g from 10:00 to 12:00; a 2 h, 1 kW job submitted at midnight.
        var actuals = Zones(("A", Hourly(h => h is 10 or 11 ? 20 : 100)));
        var job = Job("j1", submit: 0, hours: 2, deadlineHour: 24);

        var report = Simulator.Run([job], new LowestWindowPolicy(), actuals, new PerfectForecasts(actuals));

        var outcome = Assert.Single(report.Outcomes);
        Assert.Equal(T0.AddHours(10), outcome.Run.Start);
        Assert.Equal(200, outcome.BaselineGrams, 9);
        Assert.Equal(40, outcome.PolicyGrams, 9);
        Assert.Equal(80, report.SavedPercent, 9);
        Assert.Equal(10, report.MeanDelayHours, 9);
        Assert.Equal(0, report.MissedDeadlines);
    }

    [Fact]
    public void Run_Immediate_IsTheBaseline()
    {
        var actuals = Zones(("A", Hourly(h => 50 + h)));
        var jobs = new[] { Job("a", 0, 2, 24), Job("b", 5, 3, 24) with { NominalStart = T0.AddHours(6) } };

        var report = Simulator.Run(jobs, new ImmediatePolicy(), actuals, new PerfectForecasts(actuals));

        Assert.Equal(report.BaselineGrams, report.PolicyGrams, 9);
        Assert.Equal(0, report.SavedPercent, 9);
        Assert.Equal(T0.AddHours(6), report.Outcomes[1].Run.Start);
        Assert.Equal(0, report.P95DelayHours);
    }

    [Fact]
    public void Run_LowestSlots_RunsAnInterruptibleJobInTheCleanestHours()
    {
        var actuals = Zones(("A", Hourly(h => h is 3 or 7 ? 20 : 100)));
        var job = Job("j1", 0, 2, 24) with { Interruptible = true };

        var report = Simulator.Run([job], new LowestSlotsPolicy(TimeSpan.FromHours(1)), actuals, new PerfectForecasts(actuals));

        var run = Assert.Single(report.Outcomes).Run;
        Assert.Equal([T0.AddHours(3), T0.AddHours(7)], run.Chunks.Select(c => c.Start));
        Assert.Equal(TimeSpan.FromHours(2), TimeSpan.FromTicks(run.Chunks.Sum(c => c.Length.Ticks)));
        Assert.Equal(40, report.PolicyGrams, 9);
    }

    [Fact]
    public void Run_AcrossZones_PicksTheCleanerZone()
    {
        var actuals = Zones(("A", Hourly(_ => 100)), ("B", Hourly(_ => 50)));
        var job = Job("j1", 0, 2, 24) with { Zones = ["A", "B"] };

        var report = Simulator.Run([job], new LowestWindowPolicy(AcrossZones: true), actuals, new PerfectForecasts(actuals));

        var outcome = Assert.Single(report.Outcomes);
        Assert.Equal("B", outcome.Run.Zone);
        Assert.Equal(T0, outcome.Run.Start);
        Assert.Equal(50, report.SavedPercent, 9);
        Assert.Equal(1, report.PerZone["B"].Jobs);
    }

    [Fact]
    public void Run_WrongForecast_DecidesOnTheForecastButCountsTheActual()
    {
        // The forecast promises 5:00-6:00 clean; in fact that hour was the dirtiest.
        var actuals = Zones(("A", Hourly(h => h == 5 ? 300 : 100)));
        var forecast = new FixedForecasts(Hourly(h => h == 5 ? 10 : 100));

        var report = Simulator.Run([Job("j1", 0, 1, 24)], new LowestWindowPolicy(), actuals, forecast);

        Assert.Equal(T0.AddHours(5), report.Outcomes[0].Run.Start);
        Assert.Equal(300, report.PolicyGrams, 9);
        Assert.Equal(-200, report.SavedPercent, 9);
    }

    [Fact]
    public void Run_JobOutsideTheData_IsCountedAsUncovered()
    {
        var actuals = Zones(("A", Hourly(_ => 100)));

        var report = Simulator.Run([Job("late", 48, 1, 60)], new ImmediatePolicy(), actuals, new PerfectForecasts(actuals));

        Assert.Empty(report.Outcomes);
        Assert.Equal(1, report.Uncovered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_RandomTraces_KeepTheInvariants(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 24 * 14).Select(_ => 50 + (400 * random.NextDouble())).ToArray();
        var actuals = Zones(("A", new IntensitySeries(T0, TimeSpan.FromHours(1), values)));
        var jobs = Enumerable.Range(0, 200).Select(i =>
        {
            var submit = random.Next(0, 24 * 10);
            var hours = random.Next(1, 12);
            return Job($"j{i}", submit, hours, submit + hours + random.Next(0, 48)) with { Interruptible = random.Next(2) == 0 };
        }).ToArray();

        foreach (IPlacementPolicy policy in new IPlacementPolicy[] { new ImmediatePolicy(), new LowestWindowPolicy(), new LowestSlotsPolicy(TimeSpan.FromHours(1)) })
        {
            var report = Simulator.Run(jobs, policy, actuals, new PerfectForecasts(actuals));

            Assert.Equal(jobs.Length, report.Outcomes.Count);
            Assert.Equal(0, report.MissedDeadlines);
            Assert.All(report.Outcomes, o =>
            {
                Assert.True(o.Run.Start >= o.Job.Submit, $"{policy.Name}: {o.Job.Id} starts before its submission");
                Assert.Equal(o.Job.Duration, TimeSpan.FromTicks(o.Run.Chunks.Sum(c => c.Length.Ticks)));
                Assert.True(o.PolicyGrams <= o.BaselineGrams + 1e-6 || policy is ImmediatePolicy, $"{policy.Name}: {o.Job.Id} is dirtier than its baseline with perfect knowledge");
            });
        }
    }

    [Fact]
    public void NoisyForecasts_SameSeed_SameForecastAndTheAskedSpread()
    {
        var actual = new IntensitySeries(T0, TimeSpan.FromMinutes(30), Enumerable.Repeat(200.0, 20_000).ToArray());

        var first = new NoisyForecasts([("A", actual)], 0.05, seed: 1).ForecastAt("A", T0)!;
        var again = new NoisyForecasts([("A", actual)], 0.05, seed: 1).ForecastAt("A", T0)!;

        Assert.Equal(first.Values.ToArray(), again.Values.ToArray());
        var values = first.Values.ToArray();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        Assert.Equal(200, mean, 0.5);
        Assert.Equal(10, sd, 0.3);
    }

    private static IntensitySeries Hourly(Func<int, double> gramsPerKwh) =>
        new(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 24).Select(gramsPerKwh).ToArray());

    private static Dictionary<string, IntensitySeries> Zones(params (string Zone, IntensitySeries Series)[] zones) =>
        zones.ToDictionary(z => z.Zone, z => z.Series);

    private static SimulationJob Job(string id, int submit, int hours, int deadlineHour) =>
        new(id, T0.AddHours(submit), TimeSpan.FromHours(hours), T0.AddHours(deadlineHour), 1000, false, ["A"]);

    private sealed class FixedForecasts(IntensitySeries forecast) : IForecastSource
    {
        public IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime) => forecast;

        public DateTimeOffset? NextIssueAfter(string zone, DateTimeOffset time) => null;
    }
}
