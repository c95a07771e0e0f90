using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The <c>coordination.k8s.io/v1</c> Leases of <see cref="FakeKubernetesApiServer"/> (what leader election holds).</summary>
public sealed partial class FakeKubernetesApiServer
{
    /// <summary>Creates <paramref name="lease"/> (an <c>ADDED</c> event); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">A Lease of that name exists.</exception>
    public string AddLease(V1Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        NameOf(lease.Metadata?.Name, nameof(lease));
        NameOf(lease.Metadata?.NamespaceProperty, nameof(lease));
        return Add(ResourceCatalog.Leases, lease);
    }

    /// <summary>Lease <paramref name="name"/> as the API server serves it, or <c>null</c>.</summary>
    public V1Lease? GetLease(string @namespace, string name) => Find<V1Lease>(ResourceCatalog.Leases, @namespace, name);

    /// <summary>Changes Lease <paramref name="name"/> (e.g. to expire it) with <paramref name="change"/>; returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No such Lease.</exception>
    public string UpdateLease(string @namespace, string name, Action<V1Lease> change) =>
        Change(ResourceCatalog.Leases, @namespace, name, change, WriteOptions.Test);

    /// <summary>Deletes Lease <paramref name="name"/>; returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No such Lease.</exception>
    public string DeleteLease(string @namespace, string name) => Remove(ResourceCatalog.Leases, @namespace, name);
}
