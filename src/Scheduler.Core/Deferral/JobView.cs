namespace Scheduler.Core.Deferral;

/// <summary>What the deferral decision needs to know of a Job, as plain values.</summary>
/// <param name="Created">When the Job was created: its submission.</param>
/// <param name="Annotations">Its annotations: the user's request and the controller's record.</param>
/// <param name="Suspended">Whether it is held now (<c>spec.suspend</c>, or our Kueue admission gate).</param>
/// <param name="Finished">Whether it has completed or failed.</param>
/// <param name="DryRun">Whether its namespace is in dry run: planned and recorded, never held.</param>
public sealed record JobView(
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Annotations,
    bool Suspended,
    bool Finished,
    bool DryRun);
