using Scheduler.Core.Intensity;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;

namespace Scheduler.Core.Tests.Scoring;

public class NodeScorerTests
{
    private static readonly DateTimeOffset Now = FixedForecasts.Start;

    private static NodeScorer Scorer(Action<ScoringOptions>? configure = null)
    {
        var options = new ScoringOptions();
        configure?.Invoke(options);
        return new NodeScorer(options);
    }

    [Fact]
    public void MarginalWatts_GpuPod_SplitsWhatScoringChargesIntoCpuAndGpu()
    {
        var node = Nodes.Gpu("g", "DE", activeWatts: 400);

        // 2 cores x 10 W, and 2 GPUs x 400 W: together, the watts the score's reason carries.
        var (cpu, gpu) = Scorer().MarginalWatts(2, 2, node.Power);
        Assert.Equal(20, cpu, 9);
        Assert.Equal(800, gpu, 9);
        Assert.Equal(Scorer().Score(Nodes.Pod(cpu: 2, gpus: 2), [node], new FixedForecasts().With("DE", 300), Now)[0].Reason.Watts, cpu + gpu, 9);

        // No CPU request: the scorer's default of 0.1 core.
        Assert.Equal(1, Scorer().MarginalWatts(0, 0, node.Power).CpuWatts, 9);
        Assert.Equal(0.1, Scorer().CpuCoresOf(0));
    }

    [Fact]
    public void Score_ThreeZones_MapsGramsLinearlyCleanestTen()
    {
        var forecasts = new FixedForecasts().With("FR", 50).With("GB", 200).With("DE", 450);
        var nodes = new[] { Nodes.Cpu("de", "DE"), Nodes.Cpu("fr", "FR"), Nodes.Cpu("gb", "GB") };

        var scores = Scorer().Score(Nodes.Pod(cpu: 2), nodes, forecasts, Now);

        Assert.Equal(["de", "fr", "gb"], scores.Select(s => s.Host));
        Assert.Equal(0, scores[0].Score);
        Assert.Equal(10, scores[1].Score);

        // (450 - 200) / (450 - 50) * 10 = 6.25 -> 6
        Assert.Equal(6, scores[2].Score);
    }

    [Fact]
    public void Score_Reason_CarriesZoneIntensityWattsAndGrams()
    {
        var forecasts = new FixedForecasts().With("DE", 300, 300);
        var scores = Scorer().Score(Nodes.Pod(cpu: 2, duration: TimeSpan.FromHours(2)), [Nodes.Cpu("de", "DE")], forecasts, Now);

        var reason = scores[0].Reason;
        Assert.Equal(ScoreOutcome.Scored, reason.Outcome);
        Assert.Equal("DE", reason.Zone);
        Assert.Equal(300, reason.IntensityGramsPerKwh);
        Assert.Equal("test", reason.IntensitySource);
        Assert.Equal(20, reason.Watts, 9);

        // 20 W x 2 h x 300 g/kWh = 12 g
        Assert.Equal(12, reason.Grams!.Value, 9);
        Assert.Contains("zone=DE", reason.ToString(), StringComparison.Ordinal);
        Assert.Contains("grams=12", reason.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_Duration_AveragesIntensityOverTheWholeRun()
    {
        // A is clean now and dirty later; B the opposite. A 1 h pod prefers A, a 4 h pod prefers B.
        var forecasts = new FixedForecasts().With("A", 100, 500, 500, 500).With("B", 200, 200, 200, 200);
        var nodes = new[] { Nodes.Cpu("a", "A"), Nodes.Cpu("b", "B") };

        var shortRun = Scorer().Score(Nodes.Pod(duration: TimeSpan.FromHours(1)), nodes, forecasts, Now);
        var longRun = Scorer().Score(Nodes.Pod(duration: TimeSpan.FromHours(4)), nodes, forecasts, Now);

        Assert.Equal([10, 0], shortRun.Select(s => s.Score));
        Assert.Equal([0, 10], longRun.Select(s => s.Score));
        Assert.Equal(400, longRun[0].Reason.IntensityGramsPerKwh!.Value, 9);
    }

    [Fact]
    public void Score_NoDurationAnnotation_UsesConfiguredDefault()
    {
        var forecasts = new FixedForecasts().With("A", 100, 500, 500, 500).With("B", 200, 200, 200, 200);
        var nodes = new[] { Nodes.Cpu("a", "A"), Nodes.Cpu("b", "B") };

        var scores = Scorer(o => o.DefaultDurationMinutes = 240).Score(Nodes.Pod(), nodes, forecasts, Now);

        Assert.Equal([0, 10], scores.Select(s => s.Score));
        Assert.Equal(4, scores[0].Reason.Hours, 9);
    }

    [Fact]
    public void Score_Pue_ScalesTheZonesGrams()
    {
        var forecasts = new FixedForecasts().With("A", 100).With("B", 120);
        var nodes = new[] { Nodes.Cpu("a", "A"), Nodes.Cpu("b", "B") };

        var withoutPue = Scorer().Score(Nodes.Pod(), nodes, forecasts, Now);
        var withPue = Scorer(o => o.Pue["A"] = 1.5).Score(Nodes.Pod(), nodes, forecasts, Now);

        Assert.Equal([10, 0], withoutPue.Select(s => s.Score));
        Assert.Equal([0, 10], withPue.Select(s => s.Score));
        Assert.Equal(1.5, withPue[0].Reason.Pue);
    }

    [Fact]
    public void Score_GpuPod_CountsActiveWattsOfEachGpu()
    {
        // Same zone intensity; the node with hungrier GPUs is dirtier for a GPU pod.
        var forecasts = new FixedForecasts().With("A", 100);
        var nodes = new[] { Nodes.Gpu("big", "A", 700), Nodes.Gpu("small", "A", 300) };

        var scores = Scorer().Score(Nodes.Pod(cpu: 4, gpus: 2), nodes, forecasts, Now);

        Assert.Equal([0, 10], scores.Select(s => s.Score));
        Assert.Equal(40 + 1400, scores[0].Reason.Watts, 9);
    }

    [Fact]
    public void Score_UnknownZoneOrIntensity_GetsNeutralScoreNotError()
    {
        var forecasts = new FixedForecasts().With("A", 100).With("B", 300);
        var nodes = new[] { Nodes.Cpu("a", "A"), Nodes.Cpu("nozone", null), Nodes.Cpu("b", "B"), Nodes.Cpu("nodata", "XX") };

        var scores = Scorer(o => o.NeutralScore = 3).Score(Nodes.Pod(), nodes, forecasts, Now);

        Assert.Equal([10, 3, 0, 3], scores.Select(s => s.Score));
        Assert.Equal(ScoreOutcome.ZoneUnknown, scores[1].Reason.Outcome);
        Assert.Equal(ScoreOutcome.NoIntensity, scores[3].Reason.Outcome);
        Assert.Null(scores[3].Reason.Grams);
        Assert.Contains("grid zone unknown", scores[1].Reason.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_ForecastEndedBeforeNow_IsNeutral()
    {
        var forecasts = new FixedForecasts().With("A", 100);
        var scores = Scorer().Score(Nodes.Pod(), [Nodes.Cpu("a", "A")], forecasts, Now.AddHours(5));
        Assert.Equal(ScoreOutcome.NoIntensity, scores[0].Reason.Outcome);
    }

    [Fact]
    public void Score_AllEqual_AllGetTheTopScore()
    {
        var forecasts = new FixedForecasts().With("A", 100);
        var scores = Scorer().Score(Nodes.Pod(), [Nodes.Cpu("a1", "A"), Nodes.Cpu("a2", "A")], forecasts, Now);
        Assert.All(scores, s => Assert.Equal(NodeScorer.MaxScore, s.Score));
    }

    [Fact]
    public void Score_PodWithoutCpuRequest_StillHasAPowerCost()
    {
        var forecasts = new FixedForecasts().With("A", 100).With("B", 400);
        var scores = Scorer().Score(Nodes.Pod(cpu: 0), [Nodes.Cpu("a", "A"), Nodes.Cpu("b", "B")], forecasts, Now);

        Assert.Equal(1.0, scores[0].Reason.Watts, 9); // 0.1 core x 10 W/core
        Assert.Equal([10, 0], scores.Select(s => s.Score));
    }

    [Fact]
    public void Score_ManyNodes_AlwaysWithinZeroToTen()
    {
        var random = new Random(7);
        var forecasts = new FixedForecasts();
        for (var z = 0; z < 20; z++)
        {
            forecasts.With($"Z{z}", random.Next(10, 900));
        }

        var nodes = Enumerable.Range(0, 500)
            .Select(i => i % 7 == 0 ? Nodes.Gpu($"n{i}", $"Z{i % 20}", random.Next(100, 700)) : Nodes.Cpu($"n{i}", i % 11 == 0 ? null : $"Z{i % 20}", random.Next(2, 128)))
            .ToArray();

        var scores = Scorer().Score(Nodes.Pod(cpu: 3, gpus: 1), nodes, forecasts, Now);

        Assert.All(scores, s => Assert.InRange(s.Score, NodeScorer.MinScore, NodeScorer.MaxScore));
        Assert.Contains(scores, s => s.Score == 10);
        Assert.Contains(scores, s => s.Score == 0);
        var scored = scores.Where(s => s.Reason.Outcome == ScoreOutcome.Scored).OrderBy(s => s.Reason.Grams).ToList();
        for (var i = 1; i < scored.Count; i++)
        {
            Assert.True(scored[i].Score <= scored[i - 1].Score, "more grams must never score higher");
        }
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithEveryProblem()
    {
        var e = Assert.Throws<ArgumentException>(() => new NodeScorer(new ScoringOptions { NeutralScore = 11, DefaultDurationMinutes = 0 }));
        Assert.Contains("NeutralScore", e.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultDurationMinutes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_PowerSource_IsReported()
    {
        var forecasts = new FixedForecasts().With("A", 100);
        var node = new NodeDescription("d", "A", new NodePowerProfile(8, 0, 80, null, PowerSource.Default, "default"));
        var score = Scorer().Score(Nodes.Pod(), [node], forecasts, Now)[0];
        Assert.Equal(PowerSource.Default, score.Reason.PowerSource);
        Assert.Contains("Default: default", score.Reason.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MarginalSignal_IsNamedInTheReason()
    {
        var forecasts = new MarginalForecasts();
        var score = Scorer().Score(Nodes.Pod(), [Nodes.Cpu("a", "A")], forecasts, Now)[0];
        Assert.Equal("watttime, marginal", score.Reason.IntensitySource);
    }

    private sealed class MarginalForecasts : IForecastLookup
    {
        public IntensityForecast? Find(string zone) =>
            new(zone, new IntensitySeries(Now, TimeSpan.FromHours(1), [400, 400]), Now, "watttime", IntensitySignal.Marginal);
    }
}
