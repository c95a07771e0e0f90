namespace Scheduler.Core.Accounting;

/// <summary>How a Job ended, with the energy it used.</summary>
/// <param name="Uid">The Job's uid.</param>
/// <param name="At">When it completed, failed or was deleted.</param>
/// <param name="Outcome">What happened: <c>completed</c>, <c>failed</c> or <c>deleted</c>.</param>
/// <param name="Energy">The energy it used, when measured or estimated.</param>
/// <param name="Holding">Energy spent while it waited, when measured.</param>
/// <param name="EmbodiedGrams">Its share of the hardware's embodied emissions, when known.</param>
public sealed record LedgerCompletion(
    string Uid,
    DateTimeOffset At,
    string Outcome,
    JobEnergy? Energy,
    HoldingEnergy? Holding,
    double? EmbodiedGrams);
