namespace Scheduler.Core.Accounting;

/// <summary>A Job (or bare Pod) as the ledger first records it, when the scheduler first acts on it.</summary>
/// <param name="Uid">The object's uid.</param>
/// <param name="Kind">Its kind: <c>Job</c> or <c>Pod</c>.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Team">The team it belongs to (from a label), when known.</param>
/// <param name="Submitted">When it was created.</param>
/// <param name="Deadline">The deadline it declared, if any.</param>
/// <param name="ExpectedDuration">The run time it declared (or the default).</param>
/// <param name="CandidateZones">The zones it could run in.</param>
/// <param name="Deferred">Whether the deferral controller holds it (otherwise it is only placed by the extender).</param>
/// <param name="CandidateNodeCounts">
/// How many nodes of each candidate zone (in the order of <paramref name="CandidateZones"/>) could run it when it was
/// recorded; <c>null</c> when not counted. It weighs the baseline of a Job the extender only placed.
/// </param>
public sealed record LedgerSubmission(
    string Uid,
    string Kind,
    string Namespace,
    string Name,
    string? Team,
    DateTimeOffset Submitted,
    DateTimeOffset? Deadline,
    TimeSpan ExpectedDuration,
    IReadOnlyList<string> CandidateZones,
    bool Deferred,
    IReadOnlyList<int>? CandidateNodeCounts = null);
