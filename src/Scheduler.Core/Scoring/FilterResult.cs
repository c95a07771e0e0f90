namespace Scheduler.Core.Scoring;

/// <summary>The outcome of filtering nodes for a pod.</summary>
/// <param name="Passed">Indexes (into the input list) of the nodes that may run the pod, in input order.</param>
/// <param name="Failed">Nodes removed, each with the reason shown to the user.</param>
public sealed record FilterResult(IReadOnlyList<int> Passed, IReadOnlyDictionary<string, string> Failed);
