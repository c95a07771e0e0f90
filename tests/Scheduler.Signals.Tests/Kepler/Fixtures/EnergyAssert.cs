namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>Assertions on energies the reader estimated.</summary>
public static class EnergyAssert
{
    /// <summary>
    /// Energy across a Kepler restart: what the restarted counter never saw (the scripts restart
    /// Kepler halfway between two scrapes, so half a scrape's energy) is estimated from the power of
    /// the scrapes around it. The exporters count energy by a <see cref="ScrapeClock"/>, so the
    /// estimate is held to a tenth of a scrape interval's energy at <paramref name="watts"/>; a gap
    /// left unfilled would miss five times that.
    /// </summary>
    public static void Estimated(double expected, double actual, double watts, double scrapeSeconds = 0.1) =>
        Assert.True(Math.Abs(actual - expected) <= scrapeSeconds * watts, $"expected {expected} within {scrapeSeconds * watts} J, got {actual}");
}
