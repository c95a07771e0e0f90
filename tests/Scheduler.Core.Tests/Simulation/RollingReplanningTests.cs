using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Core.Tests.Simulation;

public class RollingReplanningTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    // In fact 06:00-07:00 is the clean hour.
    private static readonly Dictionary<string, IntensitySeries> Actuals = new() { ["A"] = Hourly(0, 24, h => h == 6 ? 10 : 100) };

    [Fact]
    public void ForecastAt_SeesOnlyForecastsIssuedBeforeTheDecision()
    {
        var early = Hourly(0, 24, _ => 1);
        var late = Hourly(5, 19, _ => 2);
        var forecasts = Issued((T0, early), (T0.AddHours(5), late));

        Assert.Null(forecasts.ForecastAt("A", T0.AddMinutes(-1)));
        Assert.Same(early, forecasts.ForecastAt("A", T0.AddHours(4.99)));
        Assert.Same(late, forecasts.ForecastAt("A", T0.AddHours(5)));
        Assert.Equal(T0.AddHours(5), forecasts.NextIssueAfter("A", T0));
        Assert.Null(forecasts.NextIssueAfter("A", T0.AddHours(5)));
        Assert.Null(forecasts.ForecastAt("B", T0.AddHours(5)));
    }

    [Fact]
    public void Run_NewerForecastBeforeTheStart_MovesTheJob()
    {
        // Issued at 00:00: 10:00 looks cleanest. Issued at 05:00: 06:00 does.
        var forecasts = Issued(
            (T0, Hourly(0, 24, h => h == 10 ? 10 : 100)),
            (T0.AddHours(5), Hourly(5, 19, h => h == 6 ? 10 : 100)));

        var report = Simulator.Run([Job(deadlineHour: 24)], new LowestWindowPolicy(), Actuals, forecasts);

        Assert.Equal(T0.AddHours(6), report.Outcomes[0].Run.Start);
        Assert.Equal(10, report.PolicyGrams, 9);
    }

    [Fact]
    public void Run_ForecastIssuedAfterTheStart_LeavesAWholeRunAlone()
    {
        var forecasts = Issued(
            (T0, Hourly(0, 24, h => h is 2 or 3 ? 10 : 100)),
            (T0.AddHours(3), Hourly(3, 21, h => h == 6 ? 1 : 100)));
        var job = Job(deadlineHour: 24) with { Duration = TimeSpan.FromHours(2) };

        var report = Simulator.Run([job], new LowestWindowPolicy(), Actuals, forecasts);

        Assert.Equal([T0.AddHours(2)], report.Outcomes[0].Run.Chunks.Select(c => c.Start));
    }

    [Fact]
    public void Run_InterruptibleJob_KeepsWhatItRanAndReplansTheRest()
    {
        // At 00:00 the forecast says 01:00-03:00 is clean; at 01:30 a new one says 06:00-07:30 is.
        var forecasts = Issued(
            (T0, Hourly(0, 24, h => h is 1 or 2 ? 10 : 100)),
            (T0.AddHours(1.5), new IntensitySeries(T0.AddHours(1.5), TimeSpan.FromMinutes(30), Enumerable.Range(0, 40).Select(i => i is 9 or 10 or 11 ? 5.0 : 100.0).ToArray())));
        var job = Job(deadlineHour: 24) with { Duration = TimeSpan.FromHours(2), Interruptible = true };

        var report = Simulator.Run([job], new LowestSlotsPolicy(TimeSpan.FromMinutes(30)), Actuals, forecasts);

        // 01:00-01:30 ran on the first forecast; the remaining 1.5 h moves to 06:00-07:30.
        var run = report.Outcomes[0].Run;
        Assert.Equal([(T0.AddHours(1), T0.AddHours(1.5)), (T0.AddHours(6), T0.AddHours(7.5))], run.Chunks.Select(c => (c.Start, c.End)));
    }

    [Fact]
    public void Run_NoForecastYetAtSubmission_RunsAsTheBaselineWouldUntilOneIsIssued()
    {
        var forecasts = Issued((T0.AddHours(2), Hourly(2, 22, h => h == 6 ? 10 : 100)));

        var report = Simulator.Run([Job(deadlineHour: 24)], new LowestWindowPolicy(), Actuals, forecasts);

        // Without a forecast the job runs at once (00:00), before the forecast of 02:00 exists.
        Assert.Equal(T0, report.Outcomes[0].Run.Start);
    }

    private static IssuedForecasts Issued(params (DateTimeOffset At, IntensitySeries Forecast)[] issues) =>
        new(new Dictionary<string, IReadOnlyList<ForecastIssue>> { ["A"] = issues.Select(i => new ForecastIssue(i.At, i.Forecast)).ToArray() });

    private static IntensitySeries Hourly(int fromHour, int hours, Func<int, double> gramsPerKwh) =>
        new(T0.AddHours(fromHour), TimeSpan.FromHours(1), Enumerable.Range(fromHour, hours).Select(gramsPerKwh).ToArray());

    private static SimulationJob Job(int deadlineHour) =>
        new("j", T0, TimeSpan.FromHours(1), T0.AddHours(deadlineHour), 1000, false, ["A"]);
}
