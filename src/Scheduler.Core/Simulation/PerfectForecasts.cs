using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>Perfect knowledge: every decision sees the actual intensity, the upper bound of any policy.</summary>
public sealed class PerfectForecasts(IReadOnlyDictionary<string, IntensitySeries> actuals) : IForecastSource
{
    /// <inheritdoc />
    public IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime) =>
        actuals.TryGetValue(zone, out var series) ? series : null;

    /// <inheritdoc />
    /// <remarks>Perfect knowledge never changes, so nothing is planned again.</remarks>
    public DateTimeOffset? NextIssueAfter(string zone, DateTimeOffset time) => null;
}
