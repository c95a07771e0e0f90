namespace Scheduler.Kubernetes.Nodes;

/// <summary>The parts of a Kubernetes Node the scheduler reasons with.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="Labels">metadata.labels.</param>
/// <param name="Allocatable">status.allocatable, as quantity strings (falls back to status.capacity when absent).</param>
public sealed record NodeFacts(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Allocatable);
