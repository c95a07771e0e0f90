using k8s.Models;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The nodes of <see cref="FakeKubernetesApiServer"/>: read-only through the API, changed by tests.</summary>
public sealed partial class FakeKubernetesApiServer
{
    /// <summary>The names of the nodes the server has now, in key order.</summary>
    public IReadOnlyList<string> NodeNames => [.. All<V1Node>(ResourceCatalog.Nodes, null).Select(n => n.Metadata.Name).Order(StringComparer.Ordinal)];

    /// <summary>Creates <paramref name="node"/> (an <c>ADDED</c> event); returns the new resourceVersion. A given uid and creationTimestamp are kept.</summary>
    /// <exception cref="InvalidOperationException">A node of that name exists.</exception>
    public string AddNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        NameOf(node.Metadata?.Name, nameof(node));
        return Add(ResourceCatalog.Nodes, node);
    }

    /// <summary>Creates every node of <paramref name="nodes"/>; returns the resourceVersion after the last.</summary>
    public string AddNodes(IEnumerable<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            AddNode(node);
        }

        return ResourceVersion;
    }

    /// <summary>Replaces node <paramref name="node"/> (a <c>MODIFIED</c> event); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No node of that name exists.</exception>
    public string UpdateNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Replace(ResourceCatalog.Nodes, null, NameOf(node.Metadata?.Name, nameof(node)), node);
    }

    /// <summary>Changes node <paramref name="name"/> with <paramref name="change"/> (a <c>MODIFIED</c> event); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No node of that name exists.</exception>
    public string UpdateNode(string name, Action<V1Node> change) => Change(ResourceCatalog.Nodes, null, name, change, WriteOptions.Test);

    /// <summary>Deletes node <paramref name="name"/> (a <c>DELETED</c> event with its last state); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No node of that name exists.</exception>
    public string DeleteNode(string name) => Remove(ResourceCatalog.Nodes, null, name);
}
