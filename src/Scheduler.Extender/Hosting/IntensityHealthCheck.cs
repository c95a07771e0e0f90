using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Hosting;

/// <summary>Ready when at least one zone has a forecast; scores without any would all be neutral.</summary>
internal sealed class IntensityHealthCheck(IntensityCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cache.Count > 0
            ? HealthCheckResult.Healthy($"forecasts for {cache.Count} zones")
            : HealthCheckResult.Unhealthy("no zone has a carbon-intensity forecast yet"));
}
