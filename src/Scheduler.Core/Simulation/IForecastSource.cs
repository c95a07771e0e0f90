using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>What a policy may know of a zone's intensity when it decides.</summary>
public interface IForecastSource
{
    /// <summary>The forecast of <paramref name="zone"/> available at <paramref name="decisionTime"/>, or <c>null</c> when there is none.</summary>
    IntensitySeries? ForecastAt(string zone, DateTimeOffset decisionTime);
}
