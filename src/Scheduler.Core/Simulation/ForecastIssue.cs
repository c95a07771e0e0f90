using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>One forecast as it was published: when, and what it said from then on.</summary>
/// <param name="IssuedAt">When the forecast was published; no decision before it may see it.</param>
/// <param name="Forecast">The forecast intensity.</param>
public sealed record ForecastIssue(DateTimeOffset IssuedAt, IntensitySeries Forecast);
