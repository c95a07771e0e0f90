namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>Assertions on energies the reader estimated.</summary>
public static class EnergyAssert
{
    /// <summary>
    /// Energy across a Kepler restart: what the restarted counter never saw is estimated from the
    /// power of the scrapes around it. The exporter advances its counters by its own render times,
    /// which drift from Prometheus' scheduled timestamps by its response time (up to half a second
    /// on a loaded machine), so the estimate is held to one scrape interval's energy at
    /// <paramref name="watts"/>: what any reader of a restarted counter can know.
    /// </summary>
    public static void Estimated(double expected, double actual, double watts, double scrapeSeconds = 1) =>
        Assert.True(Math.Abs(actual - expected) <= scrapeSeconds * watts, $"expected {expected} within {scrapeSeconds * watts} J, got {actual}");
}
