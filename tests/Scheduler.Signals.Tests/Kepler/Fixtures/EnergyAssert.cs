namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>Assertions on energies the reader estimated.</summary>
public static class EnergyAssert
{
    /// <summary>
    /// A restart's gap is estimated from the power of the scrapes around it, whose Prometheus
    /// timestamps drift from the exporter's render times by its response time: allow a quarter of a
    /// second's energy at <paramref name="watts"/> (a gap left unfilled would miss up to a whole second's).
    /// </summary>
    public static void Estimated(double expected, double actual, double watts) =>
        Assert.True(Math.Abs(actual - expected) <= 0.25 * watts, $"expected {expected} within {0.25 * watts} J, got {actual}");
}
