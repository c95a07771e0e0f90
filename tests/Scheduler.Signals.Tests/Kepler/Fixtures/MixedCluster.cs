namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A cluster halfway through a Kepler upgrade: new-1 runs Kepler 0.11 (110 W), old-1 still runs 0.7
/// (66 W), both scraped by one Prometheus.
/// </summary>
public sealed class MixedCluster : KeplerCluster
{
    /// <inheritdoc />
    protected override IEnumerable<SimulatedKepler> Simulations(Func<TimeProvider> clock)
    {
        var rewrite = new SimulatedKepler(KeplerSchemaVersion.Rewrite, time: clock());
        rewrite.AddNode("new-1", cpus: 8, packageWatts: 100, dramWatts: 10, usageRatio: 0.5);
        var legacy = new SimulatedKepler(KeplerSchemaVersion.Legacy, time: clock());
        legacy.AddNode("old-1", cpus: 4, packageWatts: 60, dramWatts: 6, usageRatio: 0.25);
        return [rewrite, legacy];
    }

    /// <inheritdoc />
    protected override Task ScriptAsync(Func<int, Task> scrapes) => scrapes(3);
}
