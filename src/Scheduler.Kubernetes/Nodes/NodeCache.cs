using System.Collections.Concurrent;
using Scheduler.Core.Scoring;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>The in-memory node cache, written by the inventory loader or the cluster watch.</summary>
public sealed class NodeCache(NodeDescriber describer) : INodeCache
{
    private ConcurrentDictionary<string, NodeDescription> _nodes = new(StringComparer.Ordinal);
    private volatile bool _synced;

    /// <inheritdoc />
    public bool IsSynced => _synced;

    /// <inheritdoc />
    public int Count => _nodes.Count;

    /// <inheritdoc />
    public NodeDescription? Find(string name) => _nodes.TryGetValue(name, out var node) ? node : null;

    /// <summary>Replaces every node at once (a full list) and marks the cache synced.</summary>
    public void ReplaceAll(IEnumerable<NodeFacts> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var fresh = new ConcurrentDictionary<string, NodeDescription>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            fresh[node.Name] = describer.Describe(node);
        }

        _nodes = fresh;
        _synced = true;
    }

    /// <summary>Adds or updates one node.</summary>
    public void Upsert(NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _nodes[node.Name] = describer.Describe(node);
    }

    /// <summary>Removes one node.</summary>
    public void Remove(string name) => _nodes.TryRemove(name, out _);
}
