using System.Collections.Concurrent;
using Scheduler.Core.Scoring;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>
/// The in-memory node cache, written by the inventory loader or the cluster watch. It keeps each
/// node's facts beside its description, so that descriptions are rebuilt when measured power changes.
/// </summary>
public sealed class NodeCache : INodeCache
{
    private readonly NodeDescriber _describer;
    private ConcurrentDictionary<string, Entry> _nodes = new(StringComparer.Ordinal);
    private volatile bool _synced;

    /// <summary>Creates the cache.</summary>
    public NodeCache(NodeDescriber describer)
    {
        ArgumentNullException.ThrowIfNull(describer);
        _describer = describer;
        if (describer.Measured is { } measured)
        {
            measured.Changed += (_, _) => Redescribe();
        }
    }

    /// <inheritdoc />
    public bool IsSynced => _synced;

    /// <inheritdoc />
    public int Count => _nodes.Count;

    /// <inheritdoc />
    public IEnumerable<NodeDescription> Nodes => _nodes.Values.Select(e => e.Description);

    /// <inheritdoc />
    public IEnumerable<(NodeFacts Facts, NodeDescription Description)> Entries => _nodes.Values.Select(e => (e.Facts, e.Description));

    /// <inheritdoc />
    public NodeDescription? Find(string name) => _nodes.TryGetValue(name, out var entry) ? entry.Description : null;

    /// <summary>Replaces every node at once (a full list) and marks the cache synced.</summary>
    public void ReplaceAll(IEnumerable<NodeFacts> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var fresh = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            fresh[node.Name] = new Entry(node, _describer.Describe(node));
        }

        _nodes = fresh;
        _synced = true;
    }

    /// <summary>Adds or updates one node.</summary>
    public void Upsert(NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _nodes[node.Name] = new Entry(node, _describer.Describe(node));
    }

    /// <summary>Removes one node.</summary>
    public void Remove(string name) => _nodes.TryRemove(name, out _);

    /// <summary>Describes every node again from its facts (measured power changed).</summary>
    public void Redescribe()
    {
        var nodes = _nodes;
        foreach (var (name, entry) in nodes)
        {
            // Only if the watch has not replaced the node meanwhile: its newer entry is already current.
            nodes.TryUpdate(name, entry with { Description = _describer.Describe(entry.Facts) }, entry);
        }
    }

    private sealed record Entry(NodeFacts Facts, NodeDescription Description);
}
