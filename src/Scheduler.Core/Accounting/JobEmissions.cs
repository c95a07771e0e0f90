namespace Scheduler.Core.Accounting;

/// <summary>
/// One Job's emissions and what the scheduler saved on it, from its measured (or estimated) energy
/// and the recorded actual carbon intensities. All figures are gCO2eq; they are zero unless
/// <see cref="Status"/> is <see cref="AccountingStatus.Accounted"/>.
/// </summary>
/// <param name="Entry">The ledger entry accounted for.</param>
/// <param name="Status">Whether it could be accounted for.</param>
/// <param name="BaselineZone">
/// The zone it is compared against: the cleanest of its candidate zones at submission; for a Job the extender only
/// placed, the candidate zones with their expected shares of a carbon-blind placement (e.g. <c>DE 60%, FR 40%</c>).
/// </param>
/// <param name="EmittedGrams">What its runs emitted, where and when they ran.</param>
/// <param name="BaselineGrams">What the same energy would have emitted run at submission, in one piece, in the baseline zone.</param>
/// <param name="TemporalSavedGrams">The part of the saving due to when it ran: the baseline against its actual runs in the baseline zone.</param>
/// <param name="SpatialSavedGrams">The part of the saving due to where it ran: its actual runs in the baseline zone against where they ran.</param>
/// <param name="HoldingGrams">What the energy spent while it waited emitted (zero unless measured).</param>
/// <param name="EmbodiedGrams">Its share of the hardware's embodied emissions, when known.</param>
/// <param name="IntensityCoverage">The smallest share of any accounted interval covered by recorded intensities, 0 to 1.</param>
/// <param name="DryRunSavedGrams">
/// For a dry-run Job (<see cref="LedgerEntry.IsDryRun"/>), what holding it as planned would have saved: its energy x
/// (the actual mean intensity over its runs as they ran - the actual mean intensity over the plan's window in the
/// plan's zone); <c>null</c> for other Jobs, and when no recorded intensity covers the plan's window.
/// </param>
public sealed record JobEmissions(
    LedgerEntry Entry,
    AccountingStatus Status,
    string? BaselineZone,
    double EmittedGrams,
    double BaselineGrams,
    double TemporalSavedGrams,
    double SpatialSavedGrams,
    double HoldingGrams,
    double? EmbodiedGrams,
    double IntensityCoverage,
    double? DryRunSavedGrams = null)
{
    /// <summary>The net saving: the baseline less what was emitted and what holding cost.</summary>
    public double SavedGrams => BaselineGrams - EmittedGrams - HoldingGrams;

    /// <summary>
    /// The Software Carbon Intensity of this Job, per run of the Job (the functional unit): operational
    /// emissions (its runs and its holding) plus its embodied share when known, gCO2eq.
    /// </summary>
    public double SciGrams => EmittedGrams + HoldingGrams + (EmbodiedGrams ?? 0);

    /// <summary>The net saving as a share of the baseline, in percent; 0 when there is no baseline.</summary>
    public double SavedPercent => BaselineGrams > 0 ? 100 * SavedGrams / BaselineGrams : 0;

    /// <summary>An entry that could not be accounted for.</summary>
    public static JobEmissions NotAccounted(LedgerEntry entry, AccountingStatus status) =>
        new(entry, status, null, 0, 0, 0, 0, 0, null, 0);
}
