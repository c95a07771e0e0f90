using System.Globalization;
using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>The sentences every human-readable format shares.</summary>
internal static class ReportText
{
    public static string Scope(SavingsReport report)
    {
        var request = report.Request;
        var parts = new List<string>();
        if (request.Namespace is { } ns)
        {
            parts.Add($"namespace {ns}");
        }

        if (request.Team is { } team)
        {
            parts.Add($"team {team}");
        }

        if (request.Job is { } job)
        {
            parts.Add($"Job {job}");
        }

        return parts.Count == 0 ? "All namespaces." : "Only " + string.Join(", ", parts) + ".";
    }

    public static string Headline(SavingsTotals total) => total.Accounted == 0
        ? string.Create(CultureInfo.InvariantCulture, $"No Job in the period could be accounted for yet ({total.Jobs} counted).")
        : string.Create(
            CultureInfo.InvariantCulture,
            $"{total.Accounted} Jobs used {total.Kwh:0.###} kWh and emitted {ReportNumbers.Mass(total.EmittedGrams)} CO2eq; run at once they would have emitted {ReportNumbers.Mass(total.BaselineGrams)}. Saved: {ReportNumbers.Mass(total.SavedGrams)} ({ReportNumbers.Percent(total.SavedPercent)}), {ReportNumbers.Mass(total.TemporalSavedGrams)} by timing and {ReportNumbers.Mass(total.SpatialSavedGrams)} by location, less {ReportNumbers.Mass(total.HoldingGrams)} spent holding.");

    /// <summary>What the dry-run Jobs would have saved held as planned; <c>null</c> when there is none.</summary>
    public static string? DryRun(SavingsTotals total) => total.DryRunJobs switch
    {
        0 => null,
        1 => string.Create(CultureInfo.InvariantCulture, $"1 dry-run Job was accounted as it ran; held as planned, it would have saved {ReportNumbers.Mass(total.DryRunWouldHaveSavedGrams)}."),
        _ => string.Create(CultureInfo.InvariantCulture, $"{total.DryRunJobs} dry-run Jobs were accounted as they ran; held as planned, they would have saved {ReportNumbers.Mass(total.DryRunWouldHaveSavedGrams)}."),
    };

    public static string JobOutcome(JobEmissions job) => job.Status switch
    {
        AccountingStatus.Accounted => string.Create(
            CultureInfo.InvariantCulture,
            $"emitted {ReportNumbers.Mass(job.EmittedGrams)} against a baseline of {ReportNumbers.Mass(job.BaselineGrams)} in {job.BaselineZone}: saved {ReportNumbers.Mass(job.SavedGrams)} ({ReportNumbers.Percent(job.SavedPercent)}); SCI {ReportNumbers.Mass(job.SciGrams)} per run.{(job.DryRunSavedGrams is { } wouldHaveSaved ? $" In dry run: held as planned, it would have saved {ReportNumbers.Mass(wouldHaveSaved)}." : string.Empty)}"),
        AccountingStatus.NoEnergy => "not accounted for: not complete, or no energy recorded.",
        _ => "not accounted for: no recorded intensity covers its runs or its baseline.",
    };
}
