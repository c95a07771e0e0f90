using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>What a policy may know of a zone's intensity when it decides.</summary>
public interface IForecastSource
{
    /// <summary>The forecast of <paramref name="zone"/> available at <paramref name="decisionTime"/>, or <c>null</c> when there is none.</summary>
    IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime);

    /// <summary>
    /// When the next forecast of <paramref name="zone"/> after <paramref name="time"/> is issued, or
    /// <c>null</c> when no newer forecast will come: the moments at which a waiting job is planned again.
    /// </summary>
    DateTimeOffset? NextIssueAfter(string zone, DateTimeOffset time);
}
