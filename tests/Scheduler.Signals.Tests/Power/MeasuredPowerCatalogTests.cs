using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Power;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;

namespace Scheduler.Signals.Tests.Power;

public class MeasuredPowerCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly NodePowerProfile Modelled = new(64, 45, 236, new GpuPowerProfile("H100-SXM", 70, 600), PowerSource.HardwareModel, "p5.48xlarge+H100-SXM");

    [Fact]
    public void Apply_KeplerNotConfigured_IsTheHardwareModelUnchanged()
    {
        var catalog = new MeasuredPowerCatalog(Options.Create(new KeplerOptions()), new FakeTimeProvider(Now));

        Assert.Same(Modelled, catalog.Apply("n1", Modelled));
    }

    [Fact]
    public void Apply_NoReadingForTheNode_FallsBackAndSaysWhy()
    {
        var catalog = Catalog(new FakeTimeProvider(Now));

        var profile = catalog.Apply("n1", Modelled);

        Assert.Equal(PowerSource.HardwareModel, profile.Source);
        Assert.Equal(Modelled.MarginalWatts(8, 1), profile.MarginalWatts(8, 1), 9);
        Assert.Contains("no fresh Kepler readings", profile.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReadingButNoModel_FallsBackAndSaysWhy()
    {
        var catalog = Catalog(new FakeTimeProvider(Now));
        catalog.UpdateReadings([Reading("n1", Now, 0.25)]);

        var profile = catalog.Apply("n1", Modelled);

        Assert.Equal(PowerSource.HardwareModel, profile.Source);
        Assert.Contains("history too short", profile.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FittedModel_ScoresWithTheMeasuredCurveFromTheCurrentLoad()
    {
        var catalog = Catalog(new FakeTimeProvider(Now));
        catalog.UpdateReadings([Reading("n1", Now, 0.5)]);
        catalog.UpdateModels([Model("n1", new PowerCurve(150, 0, 400), new GpuPowerFit(8, 72, 640))]);

        var profile = catalog.Apply("n1", Modelled);

        Assert.Equal(PowerSource.Measured, profile.Source);
        Assert.Equal(128, profile.CpuCores);
        Assert.Equal(140, profile.CpuIdleWatts);

        // 32 of Kepler's 128 CPUs from u = 0.5: 400·(0.75² − 0.5²) = 125 W, plus one GPU's measured 640 W.
        Assert.Equal(125 + 640, profile.MarginalWatts(32, 1), 9);
        Assert.Contains("kepler Rewrite: Quadratic fit", profile.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_GpuNeverSeenBusy_KeepsTheModelledGpuAndSaysSo()
    {
        var catalog = Catalog(new FakeTimeProvider(Now));
        catalog.UpdateReadings([Reading("n1", Now, 0)]);
        catalog.UpdateModels([Model("n1", new PowerCurve(150, 300), new GpuPowerFit(8, 72, null))]);

        var profile = catalog.Apply("n1", Modelled);

        Assert.Equal(600, profile.Gpu!.ActiveWatts);
        Assert.Contains("GPU H100-SXM from the hardware model", profile.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PeerModel_IsMarkedAsSuch()
    {
        var catalog = Catalog(new FakeTimeProvider(Now));
        catalog.UpdateReadings([Reading("n1", Now, 0)]);
        catalog.UpdateModels([Model("n1", new PowerCurve(150, 300), null) with { FromPeers = true }]);

        Assert.Equal(PowerSource.MeasuredPeers, catalog.Apply("n1", Modelled).Source);
    }

    [Fact]
    public void Expire_StaleReadings_FallBackToTheHardwareModelAndRaiseChanged()
    {
        var time = new FakeTimeProvider(Now);
        var catalog = Catalog(time);
        catalog.UpdateReadings([Reading("n1", Now, 0.1)]);
        catalog.UpdateModels([Model("n1", new PowerCurve(150, 300), null)]);
        var changes = 0;
        catalog.Changed += (_, _) => changes++;

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, catalog.Expire());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, catalog.Expire());

        Assert.Equal(1, changes);
        Assert.Equal(PowerSource.HardwareModel, catalog.Apply("n1", Modelled).Source);
    }

    private static MeasuredPowerCatalog Catalog(TimeProvider time) =>
        new(Options.Create(new KeplerOptions { PrometheusUrl = "http://prometheus:9090", StaleAfterSeconds = 900 }), time);

    private static NodeReading Reading(string node, DateTimeOffset at, double utilisation) =>
        new(node, KeplerSchema.Rewrite, at, MeasuredValue.Measured(300), null, null, utilisation, 128, "Intel(R) Xeon(R) Platinum 8480+", [], default);

    private static FittedPowerModel Model(string node, PowerCurve curve, GpuPowerFit? gpu) =>
        new(node, curve, curve.Quadratic != 0 ? PowerCurveKind.Quadratic : PowerCurveKind.Linear, 140, 0.97, 1008, 7, false, "k", gpu);
}
