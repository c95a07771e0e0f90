namespace Scheduler.Core.Accounting;

/// <summary>
/// What the ledger holds about one Job (or bare Pod), as plain values: enough to account for its
/// emissions against running it at once.
/// </summary>
/// <param name="Uid">The object's uid: the ledger's key.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Team">The team it belongs to (from a label), when known.</param>
/// <param name="Submitted">When it was created: when it would have started without the scheduler.</param>
/// <param name="CandidateZones">The zones it could have run in; the baseline zone is chosen among them.</param>
/// <param name="Deferred">Whether the deferral controller held it (otherwise it was only placed by the extender).</param>
/// <param name="Runs">Its runs, in time order.</param>
/// <param name="Energy">Its energy at completion, when recorded.</param>
/// <param name="Holding">Energy spent while it waited, when measured.</param>
/// <param name="EmbodiedGrams">Its share of the hardware's embodied emissions, gCO2eq, when the hardware model knows them.</param>
/// <param name="Kind">Its kind: <c>Job</c> or <c>Pod</c>.</param>
/// <param name="Deadline">The deadline it declared, if any.</param>
/// <param name="Completed">When it completed, failed or was deleted; <c>null</c> while it is not done.</param>
/// <param name="Outcome">How it ended: <c>completed</c>, <c>failed</c> or <c>deleted</c>.</param>
/// <param name="PlannedIntensity">The forecast mean over its runs in the last plan, gCO2eq/kWh, when it was planned.</param>
/// <param name="PlannedStart">The start of its last plan, when it was planned (for a dry-run Job, the plan it would have had).</param>
/// <param name="PlannedZone">The zone of its last plan, when it was planned and the plan chose one.</param>
/// <param name="CandidateNodeCounts">How many nodes of each candidate zone could run it, in the order of <paramref name="CandidateZones"/>, when counted.</param>
public sealed record LedgerEntry(
    string Uid,
    string Namespace,
    string Name,
    string? Team,
    DateTimeOffset Submitted,
    IReadOnlyList<string> CandidateZones,
    bool Deferred,
    IReadOnlyList<RecordedRun> Runs,
    JobEnergy? Energy,
    HoldingEnergy? Holding = null,
    double? EmbodiedGrams = null,
    string Kind = "Job",
    DateTimeOffset? Deadline = null,
    DateTimeOffset? Completed = null,
    string? Outcome = null,
    double? PlannedIntensity = null,
    DateTimeOffset? PlannedStart = null,
    string? PlannedZone = null,
    IReadOnlyList<int>? CandidateNodeCounts = null)
{
    /// <summary>
    /// Whether it is a dry-run Job: planned, but not held (<see cref="Deferred"/> is <c>false</c>, and it has a
    /// <see cref="PlannedStart"/>). It is accounted as it ran, with what the plan would have saved beside it.
    /// </summary>
    public bool IsDryRun => !Deferred && PlannedStart is not null;

    /// <summary>
    /// Whether the extender only placed it: never held, never planned. Its baseline is the same runs in the zone a
    /// scheduler blind to carbon would be expected to have chosen.
    /// </summary>
    public bool IsPlacedOnly => !Deferred && PlannedStart is null;

    /// <summary>How long it ran in all.</summary>
    public TimeSpan RunTime => Runs.Aggregate(TimeSpan.Zero, (total, run) => total + run.Length);
}
