namespace Scheduler.Core.Pods;

/// <summary>The parts of a Kubernetes Pod that matter for its carbon cost.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Annotations">metadata.annotations.</param>
/// <param name="Containers">spec.containers[].resources.</param>
/// <param name="InitContainers">spec.initContainers[].resources.</param>
/// <param name="Overhead">spec.overhead.</param>
public sealed record PodFacts(
    string Name,
    string Namespace,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<ContainerResources> Containers,
    IReadOnlyList<ContainerResources> InitContainers,
    IReadOnlyDictionary<string, string> Overhead);
