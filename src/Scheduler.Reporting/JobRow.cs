using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>One Job as a flat row: the columns of the CSV report and the fields of each Job in the JSON report.</summary>
internal static class JobRow
{
    public static readonly string[] Columns =
    [
        "uid", "namespace", "name", "team", "kind", "submitted", "completed", "outcome", "status",
        "baseline_zone", "zones_run", "run_hours", "energy_kwh", "energy_source",
        "emitted_g", "baseline_g", "saved_g", "saved_percent", "temporal_saved_g", "spatial_saved_g",
        "holding_g", "embodied_g", "sci_g", "planned_intensity", "actual_intensity", "intensity_coverage",
        "would_have_saved_g",
    ];

    /// <summary>The row's values, as text, in <see cref="Columns"/> order; numbers are empty where not known.</summary>
    public static string[] Values(JobEmissions job)
    {
        var entry = job.Entry;
        var accounted = job.Status == AccountingStatus.Accounted;
        var kwh = entry.Energy?.Kwh;
        return
        [
            entry.Uid,
            entry.Namespace,
            entry.Name,
            entry.Team ?? string.Empty,
            entry.Kind,
            ReportNumbers.Time(entry.Submitted),
            ReportNumbers.Time(entry.Completed),
            entry.Outcome ?? string.Empty,
            Status(job.Status),
            job.BaselineZone ?? string.Empty,
            string.Join(' ', entry.Runs.Select(r => r.Zone).Distinct(StringComparer.Ordinal)),
            ReportNumbers.Number(entry.RunTime.TotalHours, 4),
            ReportNumbers.Number(kwh, 4),
            entry.Energy is { } energy ? SourceName(energy.Source) : string.Empty,
            accounted ? ReportNumbers.Number(job.EmittedGrams) : string.Empty,
            accounted ? ReportNumbers.Number(job.BaselineGrams) : string.Empty,
            accounted ? ReportNumbers.Number(job.SavedGrams) : string.Empty,
            accounted ? ReportNumbers.Number(job.SavedPercent, 2) : string.Empty,
            accounted ? ReportNumbers.Number(job.TemporalSavedGrams) : string.Empty,
            accounted ? ReportNumbers.Number(job.SpatialSavedGrams) : string.Empty,
            accounted ? ReportNumbers.Number(job.HoldingGrams) : string.Empty,
            ReportNumbers.Number(job.EmbodiedGrams),
            accounted ? ReportNumbers.Number(job.SciGrams) : string.Empty,
            ReportNumbers.Number(entry.PlannedIntensity, 1),
            accounted && kwh is > 0 ? ReportNumbers.Number(job.EmittedGrams / kwh.Value, 1) : string.Empty,
            accounted ? ReportNumbers.Number(job.IntensityCoverage, 3) : string.Empty,
            accounted ? ReportNumbers.Number(job.DryRunSavedGrams) : string.Empty,
        ];
    }

    /// <summary>How the reports name where a Job's energy came from.</summary>
    public static string SourceName(EnergySource source) => source == EnergySource.Measured ? "measured" : "estimated";

    public static string Status(AccountingStatus status) => status switch
    {
        AccountingStatus.Accounted => "accounted",
        AccountingStatus.NoEnergy => "no-energy",
        _ => "no-intensity",
    };
}
