using Scheduler.Signals.Kepler;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>A fleet halfway through a Kepler upgrade: both schemas in one Prometheus.</summary>
public sealed class MixedSchemaReaderTests(MixedCluster cluster) : IClassFixture<MixedCluster>
{
    [Fact]
    public async Task DetectSchemas_DuringAnUpgrade_FindsBoth()
    {
        var schemas = await cluster.Reader().DetectSchemasAsync(cluster.FrozenAt, default);

        Assert.Equal([KeplerSchema.Rewrite, KeplerSchema.Legacy], schemas.Order());
    }

    [Fact]
    public async Task ReadNodes_DuringAnUpgrade_ReadsEachNodeInItsOwnSchema()
    {
        var reader = cluster.Reader(new KeplerOptions { PrometheusUrl = "http://unused", ReadingWindowSeconds = 4 });

        var readings = (await reader.ReadNodesAsync(cluster.FrozenAt, default)).ToDictionary(r => r.Node);

        Assert.Equal(KeplerSchema.Rewrite, readings["new-1"].Schema);
        Assert.Equal(KeplerSchema.Legacy, readings["old-1"].Schema);
        // Over a few scrapes, the exporter's response time against Prometheus' timestamps moves the
        // mean power by some percent; the schemas' power levels are far apart.
        Assert.Equal(110, readings["new-1"].CpuWatts!.Value.Value, 110 * 0.25);
        Assert.Equal(66, readings["old-1"].CpuWatts!.Value.Value, 66 * 0.25);
        Assert.Equal(0.5, readings["new-1"].CpuUtilisation!.Value, 3);
        Assert.Equal(0.25, readings["old-1"].CpuUtilisation!.Value, 0.06);
    }
}
