using k8s.Models;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>Reads <see cref="NodeFacts"/> from the Kubernetes client's typed node.</summary>
public static class V1NodeConversion
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>The facts of <paramref name="node"/>.</summary>
    /// <exception cref="ArgumentException">The node has no name.</exception>
    public static NodeFacts ToFacts(this V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A node without metadata.name cannot be used.", nameof(node));
        }

        var resources = node.Status?.Allocatable ?? node.Status?.Capacity;
        return new NodeFacts(
            name,
            node.Metadata!.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : Empty,
            resources is null
                ? Empty
                : resources.ToDictionary(r => r.Key, r => r.Value?.ToString() ?? string.Empty, StringComparer.Ordinal));
    }
}
