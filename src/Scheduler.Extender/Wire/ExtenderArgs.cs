using Scheduler.Core.Pods;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Extender.Wire;

/// <summary>
/// A filter or prioritize request (<c>ExtenderArgs</c>): the pod, and either full nodes
/// (<c>nodeCacheCapable: false</c>) or node names (<c>nodeCacheCapable: true</c>).
/// </summary>
/// <param name="Pod">The pod being scheduled.</param>
/// <param name="Nodes">The candidate nodes with the byte range of each in the request, or <c>null</c>.</param>
/// <param name="NodeNames">The candidate node names, or <c>null</c>.</param>
internal sealed record ExtenderArgs(PodFacts Pod, IReadOnlyList<WireNode>? Nodes, IReadOnlyList<string>? NodeNames)
{
    /// <summary>The candidate node names in request order, whichever form was sent.</summary>
    public IReadOnlyList<string> CandidateNames =>
        NodeNames ?? (IReadOnlyList<string>?)Nodes?.Select(n => n.Facts.Name).ToList() ?? [];
}

/// <summary>A node sent in full, and where its JSON lies in the request body, so it can be echoed unchanged.</summary>
/// <param name="Facts">What was read from it.</param>
/// <param name="Start">Offset of its first byte in the body.</param>
/// <param name="Length">Length of its JSON in bytes.</param>
internal readonly record struct WireNode(NodeFacts Facts, int Start, int Length);
