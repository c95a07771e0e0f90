using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Power;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Degraded (never unhealthy) when Kepler is configured but not read: scores then come from the
/// hardware models, which is worse but safe, so it must not take the extender out of service.
/// </summary>
internal sealed class KeplerHealthCheck(IServiceProvider services, MeasuredPowerCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!catalog.IsEnabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Kepler not configured: hardware power models"));
        }

        var status = services.GetRequiredService<KeplerService>().Status;
        if (status.LastError is { } error)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Kepler refresh failing ({error}); {catalog.ReadingCount} nodes still have fresh readings"));
        }

        return Task.FromResult(catalog.ReadingCount > 0
            ? HealthCheckResult.Healthy($"Kepler readings for {catalog.ReadingCount} nodes, models for {catalog.Models.Count}")
            : HealthCheckResult.Degraded("no Kepler readings yet: hardware power models"));
    }
}
