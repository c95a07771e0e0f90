using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>
/// Real forecasts with their issue times: a decision at time t sees, for each zone, the latest
/// forecast issued at or before t and nothing newer, and waiting jobs are planned again as each new
/// forecast is issued.
/// </summary>
public sealed class IssuedForecasts : IForecastSource
{
    private readonly Dictionary<string, (DateTimeOffset[] Times, IntensitySeries[] Forecasts)> _issues = new(StringComparer.Ordinal);

    /// <summary>Indexes the forecasts of each zone by issue time.</summary>
    /// <param name="issues">Each zone's forecasts, in any order.</param>
    public IssuedForecasts(IReadOnlyDictionary<string, IReadOnlyList<ForecastIssue>> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        foreach (var (zone, zoneIssues) in issues)
        {
            var ordered = zoneIssues.OrderBy(i => i.IssuedAt).ToArray();
            _issues[zone] = (ordered.Select(i => i.IssuedAt).ToArray(), ordered.Select(i => i.Forecast).ToArray());
        }
    }

    /// <inheritdoc />
    public IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime)
    {
        if (!_issues.TryGetValue(zone, out var issues))
        {
            return null;
        }

        // The last issue at or before the decision.
        var index = UpperBound(issues.Times, decisionTime) - 1;
        return index >= 0 ? issues.Forecasts[index] : null;
    }

    /// <inheritdoc />
    public DateTimeOffset? NextIssueAfter(string zone, DateTimeOffset time)
    {
        if (!_issues.TryGetValue(zone, out var issues))
        {
            return null;
        }

        var index = UpperBound(issues.Times, time);
        return index < issues.Times.Length ? issues.Times[index] : null;
    }

    // The index of the first time after `time`.
    private static int UpperBound(DateTimeOffset[] times, DateTimeOffset time)
    {
        var (low, high) = (0, times.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (times[middle] <= time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
