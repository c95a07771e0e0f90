using Microsoft.Extensions.Options;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;

namespace Scheduler.Signals.Tests.Power;

public class PowerModelFitterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    [Fact]
    public void Fit_LinearNode_RecoversIdleAndSlope()
    {
        // 120 W idle, +280 W at full load, ±3 W noise, a week of 10-minute points.
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 3);

        var model = Fitter().Fit(history, "xeon/64/-")!;

        Assert.Equal(PowerCurveKind.Linear, model.Kind);
        Assert.Equal(120, model.Curve.IdleWatts, 0);
        Assert.Equal(400, model.Curve.MaxWatts, 0);
        Assert.True(model.RSquared > 0.98, $"r2 {model.RSquared}");
        Assert.Equal(7, model.HistoryDays, 0);
        Assert.False(model.FromPeers);
    }

    [Fact]
    public void Fit_ConvexNode_ChoosesTheQuadraticThatPredictsBetter()
    {
        var history = History("n1", 1008, u => 100 + (60 * u) + (240 * u * u), noiseWatts: 2);

        var model = Fitter().Fit(history, "k")!;

        Assert.Equal(PowerCurveKind.Quadratic, model.Kind);
        Assert.Equal(100 + 60 + 240, model.Curve.MaxWatts, 0);

        // At a quarter load, the marginal power of a further quarter is what the true curve says.
        var truth = (60 * 0.25) + (240 * ((0.5 * 0.5) - (0.25 * 0.25)));
        Assert.Equal(truth, model.Curve.Added(0.25, 0.25), 0);
    }

    [Fact]
    public void Fit_LinearNodeWithNoise_StaysLinear()
    {
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 15);

        Assert.Equal(PowerCurveKind.Linear, Fitter().Fit(history, "k")!.Kind);
    }

    [Fact]
    public void Fit_Spikes_DoNotBendTheLine()
    {
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 2);
        for (var i = 0; i < history.CpuWatts.Length; i += 50)
        {
            history.CpuWatts[i] = 4_900; // Kepler legacy spikes, still under the plausibility cap
        }

        var model = Fitter().Fit(history, "k")!;

        Assert.Equal(120, model.Curve.IdleWatts, 0);
        Assert.Equal(400, model.Curve.MaxWatts, 0);
    }

    [Fact]
    public void Fit_IdleBaseline_IsALowQuantileOfPowerNotTheIntercept()
    {
        // The node never drops below 30 % load: the curve's intercept is an extrapolation, the
        // baseline is what the node was seen to draw at its quietest.
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 0, minLoad: 0.3);

        var model = Fitter().Fit(history, "k")!;

        Assert.Equal(120, model.Curve.IdleWatts, 0);
        Assert.InRange(model.IdleBaselineWatts, 120 + (280 * 0.3), 120 + (280 * 0.36));
    }

    [Fact]
    public void Fit_FlatLoad_HasNoSlopeToLearn()
    {
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 1, minLoad: 0.5, maxLoad: 0.52);

        Assert.Null(Fitter().Fit(history, "k"));
    }

    [Fact]
    public void Fit_TooFewPoints_IsNone()
    {
        Assert.Null(Fitter().Fit(History("n1", 20, u => 120 + (280 * u), noiseWatts: 1), "k"));
    }

    [Fact]
    public void Fit_GpuHistory_GivesIdleAndBusyPower()
    {
        var history = History("g1", 1008, u => 200 + (300 * u), noiseWatts: 1);
        var random = new Random(3);

        // Two H100s: idle at 70 W, training at ~620 W a third of the time.
        var gpus = new Dictionary<string, double[]>();
        for (var d = 0; d < 2; d++)
        {
            gpus[d.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Enumerable.Range(0, 1008)
                .Select(i => (i / 48) % 3 == 0 ? 620 + random.NextDouble() * 10 : 70 + random.NextDouble() * 2)
                .ToArray();
        }

        var model = Fitter().Fit(history with { GpuWatts = gpus }, "k")!;

        Assert.Equal(2, model.Gpu!.Devices);
        Assert.Equal(70, model.Gpu.IdleWatts, 0);
        Assert.Equal(625, model.Gpu.ActiveWatts!.Value, 0);
    }

    [Fact]
    public void Fit_GpuNeverBusy_HasIdleButNoActivePower()
    {
        var history = History("g1", 1008, u => 200 + (300 * u), noiseWatts: 1) with
        {
            GpuWatts = new Dictionary<string, double[]> { ["0"] = Enumerable.Repeat(68.0, 1008).ToArray() },
        };

        var gpu = Fitter().Fit(history, "k")!.Gpu!;

        Assert.Equal(68, gpu.IdleWatts, 6);
        Assert.Null(gpu.ActiveWatts);
    }

    [Fact]
    public void FitAll_NewNode_LearnsFromPeersOfTheSameHardware()
    {
        var histories = new[]
        {
            History("old-1", 1008, u => 120 + (280 * u), noiseWatts: 3, seed: 1),
            History("old-2", 1008, u => 122 + (276 * u), noiseWatts: 3, seed: 2),
            History("new", 10, u => 121 + (278 * u), noiseWatts: 3, seed: 4),
            History("other", 10, u => 50 + (50 * u), noiseWatts: 1, seed: 5),
        };
        var keys = new Dictionary<string, string>
        {
            ["old-1"] = "Xeon 8480/112/-",
            ["old-2"] = "Xeon 8480/112/-",
            ["new"] = "Xeon 8480/112/-",
            ["other"] = "EPYC 9654/192/-",
        };

        var models = Fitter().FitAll(histories, keys).ToDictionary(m => m.Node);

        Assert.False(models["old-1"].FromPeers);
        Assert.True(models["new"].FromPeers);
        Assert.Equal(121, models["new"].Curve.IdleWatts, 0);
        Assert.Equal(399, models["new"].Curve.MaxWatts, 0);

        // A node without peers and without history of its own has no model: it keeps its hardware model.
        Assert.False(models.ContainsKey("other"));
    }

    [Fact]
    public void Fit_MissingPoints_AreSkipped()
    {
        var history = History("n1", 1008, u => 120 + (280 * u), noiseWatts: 2);
        for (var i = 0; i < 500; i++)
        {
            history.CpuWatts[i] = double.NaN;
        }

        var model = Fitter().Fit(history, "k")!;

        // The first point after the gap is a partial window, and is left out with the gap.
        Assert.Equal(507, model.Points);
        Assert.Equal(400, model.Curve.MaxWatts, 0);
    }

    private static PowerModelFitter Fitter() => new(Options.Create(new KeplerOptions()));

    private static NodeHistory History(string node, int points, Func<double, double> watts, double noiseWatts, double minLoad = 0, double maxLoad = 1, int seed = 7)
    {
        var random = new Random(seed);
        var u = new double[points];
        var w = new double[points];
        for (var i = 0; i < points; i++)
        {
            u[i] = minLoad + ((maxLoad - minLoad) * random.NextDouble());
            w[i] = watts(u[i]) + (noiseWatts * ((2 * random.NextDouble()) - 1));
        }

        return new NodeHistory(node, KeplerSchema.Rewrite, Start, Step, w, u, new Dictionary<string, double[]>());
    }
}
