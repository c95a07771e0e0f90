using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Models;
using Scheduler.Signals.Power;

namespace Scheduler.Kubernetes.Tests.Nodes;

public class NodeCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_AfterKeplerModelsArrive_GivesTheMeasuredProfile()
    {
        var (cache, catalog) = Cache();
        cache.ReplaceAll([Facts("n1"), Facts("n2")]);
        Assert.Equal(PowerSource.Default, cache.Find("n1")!.Power.Source);

        catalog.UpdateReadings([Reading("n1")]);
        catalog.UpdateModels([new FittedPowerModel("n1", new PowerCurve(100, 200), PowerCurveKind.Linear, 98, 0.99, 1008, 7, false, "k", null)]);

        var measured = cache.Find("n1")!.Power;
        Assert.Equal(PowerSource.Measured, measured.Source);
        Assert.Equal(200 * 8 / 32.0, measured.MarginalWatts(8, 0), 9);

        // A node Kepler does not know keeps its hardware model, with the reason.
        var modelled = cache.Find("n2")!.Power;
        Assert.Equal(PowerSource.Default, modelled.Source);
        Assert.Contains("no fresh Kepler readings", modelled.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_OfANodeWithAModel_DescribesItMeasured()
    {
        var (cache, catalog) = Cache();
        catalog.UpdateReadings([Reading("n1")]);
        catalog.UpdateModels([new FittedPowerModel("n1", new PowerCurve(100, 200), PowerCurveKind.Linear, 98, 0.99, 1008, 7, false, "k", null)]);

        cache.Upsert(Facts("n1"));

        Assert.Equal(PowerSource.Measured, cache.Find("n1")!.Power.Source);
        Assert.Equal([PowerSource.Measured], cache.Nodes.Select(n => n.Power.Source));
    }

    private static (NodeCache Cache, MeasuredPowerCatalog Catalog) Cache()
    {
        var catalog = new MeasuredPowerCatalog(Options.Create(new KeplerOptions { PrometheusUrl = "http://prometheus:9090" }), new FakeTimeProvider(Now));
        var describer = new NodeDescriber(TestNodes.Zones, HardwarePowerCatalog.Load(new ModelFiles()), new ScoringOptions(), catalog);
        return (new NodeCache(describer), catalog);
    }

    private static NodeFacts Facts(string name) =>
        new(name, new Dictionary<string, string>(), new Dictionary<string, string> { ["cpu"] = "16" });

    private static NodeReading Reading(string node) =>
        new(node, KeplerSchema.Rewrite, Now, MeasuredValue.Measured(250), null, null, 0, 32, "EPYC", [], default);
}
