namespace Scheduler.Core.Accounting;

/// <summary>A plan the controller made for a Job, as the ledger keeps it: re-plans add one each.</summary>
/// <param name="Uid">The Job's uid.</param>
/// <param name="At">When the plan was made.</param>
/// <param name="PlannedStart">The planned release.</param>
/// <param name="Zone">The planned zone, when one was chosen.</param>
/// <param name="LatestStart">The latest safe start.</param>
/// <param name="ExpectedIntensity">The forecast mean over the planned runs, gCO2eq/kWh, when known.</param>
/// <param name="BaselineIntensity">The forecast mean had it started at once, gCO2eq/kWh, when known.</param>
/// <param name="Reason">The decision in words.</param>
public sealed record LedgerPlan(
    string Uid,
    DateTimeOffset At,
    DateTimeOffset PlannedStart,
    string? Zone,
    DateTimeOffset LatestStart,
    double? ExpectedIntensity,
    double? BaselineIntensity,
    string Reason);
