using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>
/// The actual intensity plus Gaussian noise of standard deviation <c>error × mean intensity</c>,
/// drawn independently for each step from a seeded generator, one draw per zone (zones in the
/// order given), so a run is repeatable. Values are kept at or above zero.
/// </summary>
public sealed class NoisyForecasts : IForecastSource
{
    private readonly Dictionary<string, IntensitySeries> _noisy = new(StringComparer.Ordinal);

    /// <summary>Draws the noisy forecasts.</summary>
    /// <param name="actuals">The actual series, by zone, in a stable order.</param>
    /// <param name="error">The relative error, e.g. 0.05.</param>
    /// <param name="seed">The generator's seed.</param>
    public NoisyForecasts(IReadOnlyList<(string Zone, IntensitySeries Actual)> actuals, double error, int seed)
    {
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentOutOfRangeException.ThrowIfNegative(error);
        var random = new Random(seed);
        foreach (var (zone, actual) in actuals)
        {
            var values = actual.Values;
            var mean = values.Length > 0 ? Sum(values) / values.Length : 0;
            var sigma = error * mean;
            var noisy = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                noisy[i] = Math.Max(0, values[i] + (sigma * Gaussian(random)));
            }

            _noisy[zone] = new IntensitySeries(actual.Start, actual.Step, noisy);
        }
    }

    /// <inheritdoc />
    public IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime) =>
        _noisy.TryGetValue(zone, out var series) ? series : null;

    /// <inheritdoc />
    /// <remarks>The noise is drawn once, so a later look shows the same forecast and nothing is planned again.</remarks>
    public DateTimeOffset? NextIssueAfter(string zone, DateTimeOffset time) => null;

    // Box-Muller: one standard normal draw from two uniform ones.
    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }
}
