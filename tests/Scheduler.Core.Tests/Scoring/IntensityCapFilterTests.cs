using Scheduler.Core.Scoring;

namespace Scheduler.Core.Tests.Scoring;

public class IntensityCapFilterTests
{
    private static readonly DateTimeOffset Now = FixedForecasts.Start;
    private static readonly IntensityCapFilter Filter = new(new NodeScorer(new ScoringOptions()));

    [Fact]
    public void Filter_PodWithoutCap_NeverRemovesNodes()
    {
        var forecasts = new FixedForecasts().With("DE", 900);
        var result = Filter.Filter(Nodes.Pod(), [Nodes.Cpu("a", "DE"), Nodes.Cpu("b", null)], forecasts, Now);

        Assert.Equal([0, 1], result.Passed);
        Assert.Empty(result.Failed);
    }

    [Fact]
    public void Filter_ZoneAboveCap_RemovedWithReason()
    {
        var forecasts = new FixedForecasts().With("DE", 400).With("FR", 40);
        var nodes = new[] { Nodes.Cpu("de", "DE"), Nodes.Cpu("fr", "FR") };

        var result = Filter.Filter(Nodes.Pod(maxIntensity: 100), nodes, forecasts, Now);

        Assert.Equal([1], result.Passed);
        var reason = Assert.Single(result.Failed);
        Assert.Equal("de", reason.Key);
        Assert.Contains("DE", reason.Value, StringComparison.Ordinal);
        Assert.Contains("400", reason.Value, StringComparison.Ordinal);
        Assert.Contains("100", reason.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_Cap_JudgesTheMeanOverTheRun()
    {
        // 50 now, 350 for the next hour: a 2 h run averages 200.
        var forecasts = new FixedForecasts().With("DE", 50, 350);

        var shortRun = Filter.Filter(Nodes.Pod(duration: TimeSpan.FromHours(1), maxIntensity: 150), [Nodes.Cpu("de", "DE")], forecasts, Now);
        var longRun = Filter.Filter(Nodes.Pod(duration: TimeSpan.FromHours(2), maxIntensity: 150), [Nodes.Cpu("de", "DE")], forecasts, Now);

        Assert.Single(shortRun.Passed);
        Assert.Empty(longRun.Passed);
    }

    [Fact]
    public void Filter_EqualToCap_Passes()
    {
        var forecasts = new FixedForecasts().With("DE", 100);
        Assert.Single(Filter.Filter(Nodes.Pod(maxIntensity: 100), [Nodes.Cpu("de", "DE")], forecasts, Now).Passed);
    }

    [Fact]
    public void Filter_UnknownZoneOrIntensity_IsKept()
    {
        var forecasts = new FixedForecasts();
        var result = Filter.Filter(Nodes.Pod(maxIntensity: 1), [Nodes.Cpu("a", null), Nodes.Cpu("b", "XX")], forecasts, Now);
        Assert.Equal([0, 1], result.Passed);
    }
}
