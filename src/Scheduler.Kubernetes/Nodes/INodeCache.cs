using Scheduler.Core.Scoring;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>The nodes known to the extender, for requests that carry only node names.</summary>
public interface INodeCache
{
    /// <summary>Whether the cache has been filled once (from the cluster or the inventory file).</summary>
    bool IsSynced { get; }

    /// <summary>The number of nodes known.</summary>
    int Count { get; }

    /// <summary>Every node's description (a moment's view, for metrics).</summary>
    IEnumerable<NodeDescription> Nodes { get; }

    /// <summary>Every node's facts (labels, allocatable) beside its description: which nodes could run a Job, and where.</summary>
    IEnumerable<(NodeFacts Facts, NodeDescription Description)> Entries { get; }

    /// <summary>The description of node <paramref name="name"/>, or <c>null</c> when it is not known.</summary>
    NodeDescription? Find(string name);
}
