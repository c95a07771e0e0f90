namespace Scheduler.Core.Accounting;

/// <summary>A Job (or bare Pod) that has finished, with the pods that ran it, for its energy to be measured.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Pods">The pods that ran it (a bare Pod is its own single pod).</param>
/// <param name="From">The start of its first run.</param>
/// <param name="To">When it finished.</param>
public sealed record FinishedWorkload(string Namespace, string Name, IReadOnlyList<WorkloadPod> Pods, DateTimeOffset From, DateTimeOffset To);
