using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Extender.Hosting;

/// <summary>Ready when the node cache has been filled, or when there is no node source and requests carry full nodes.</summary>
internal sealed class NodeCacheHealthCheck(INodeCache cache, NodeSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(source.Kind switch
        {
            NodeSourceKind.None => HealthCheckResult.Healthy("no node source configured: only requests with full Nodes (nodeCacheCapable: false) are scored"),
            _ when cache.IsSynced => HealthCheckResult.Healthy($"{cache.Count} nodes from the {source.Kind}"),
            _ => HealthCheckResult.Unhealthy($"the node cache has not been filled from the {source.Kind} yet"),
        });
}
