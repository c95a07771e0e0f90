using System.Globalization;
using System.Text;
using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>The Markdown report: the totals, by namespace and team, the Jobs that saved most, and the assumptions.</summary>
public sealed class MarkdownReportWriter(TextWriter output) : ISavingsReportWriter
{
    /// <inheritdoc />
    public ValueTask WriteJobAsync(JobEmissions job, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask CompleteAsync(SavingsReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await output.WriteAsync(Render(report)).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole report as Markdown.</summary>
    public static string Render(SavingsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = report.Summary;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Carbon savings, {ReportNumbers.Time(summary.From)} to {ReportNumbers.Time(summary.Until)}");
        text.AppendLine();
        text.AppendLine(ReportText.Scope(report));
        text.AppendLine();
        text.AppendLine(ReportText.Headline(summary.Total));
        text.AppendLine();
        if (ReportText.DryRun(summary.Total) is { } dryRun)
        {
            text.AppendLine(dryRun);
            text.AppendLine();
        }

        text.AppendLine("## Totals");
        text.AppendLine();
        TotalsTable(text, "scope", [("all Jobs", summary.Total)]);
        if (summary.ByNamespace.Count > 0)
        {
            text.AppendLine("## By namespace");
            text.AppendLine();
            TotalsTable(text, "namespace", summary.ByNamespace.Select(n => (n.Key, n.Value)));
        }

        if (summary.ByTeam.Count > 1 || summary.ByTeam.Keys.Any(k => k.Length > 0))
        {
            text.AppendLine("## By team");
            text.AppendLine();
            TotalsTable(text, "team", summary.ByTeam.Select(t => (t.Key.Length > 0 ? t.Key : "(no team)", t.Value)));
        }

        if (summary.TopJobs.Count > 0)
        {
            text.AppendLine("## Jobs that saved most");
            text.AppendLine();
            text.AppendLine("| Job | submitted | ran in | energy (kWh) | emitted | baseline | saved | temporal | spatial | SCI |");
            text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var job in summary.TopJobs)
            {
                var entry = job.Entry;
                text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(entry.Namespace)}/{Cell(entry.Name)} | {ReportNumbers.Time(entry.Submitted)} | {Cell(string.Join(' ', entry.Runs.Select(r => r.Zone).Distinct(StringComparer.Ordinal)))} | {ReportNumbers.Number(entry.Energy?.Kwh, 3)}{(entry.Energy?.Source == EnergySource.Estimated ? " (estimated)" : string.Empty)} | {ReportNumbers.Mass(job.EmittedGrams)} | {ReportNumbers.Mass(job.BaselineGrams)} | {ReportNumbers.Mass(job.SavedGrams)} ({ReportNumbers.Percent(job.SavedPercent)}) | {ReportNumbers.Mass(job.TemporalSavedGrams)} | {ReportNumbers.Mass(job.SpatialSavedGrams)} | {ReportNumbers.Mass(job.SciGrams)} |");
            }

            text.AppendLine();
        }

        if (report.Job is { } detail)
        {
            JobSection(text, detail);
        }

        text.AppendLine("## Assumptions");
        text.AppendLine();
        foreach (var line in report.Assumptions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Generated {ReportNumbers.Time(report.GeneratedAt)}.");
        return text.ToString();
    }

    private static void JobSection(StringBuilder text, JobDetail detail)
    {
        var entry = detail.Emissions.Entry;
        text.AppendLine(CultureInfo.InvariantCulture, $"## Job {Cell(entry.Namespace)}/{Cell(entry.Name)}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Submitted {ReportNumbers.Time(entry.Submitted)}; {ReportText.JobOutcome(detail.Emissions)}");
        text.AppendLine();
        if (detail.Plans.Count > 0)
        {
            text.AppendLine("| planned at | start | zone | latest start | expected | baseline | reason |");
            text.AppendLine("| --- | --- | --- | --- | ---: | ---: | --- |");
            foreach (var plan in detail.Plans)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {ReportNumbers.Time(plan.At)} | {ReportNumbers.Time(plan.PlannedStart)} | {Cell(plan.Zone ?? string.Empty)} | {ReportNumbers.Time(plan.LatestStart)} | {ReportNumbers.Number(plan.ExpectedIntensity, 0)} | {ReportNumbers.Number(plan.BaselineIntensity, 0)} | {Cell(plan.Reason)} |");
            }

            text.AppendLine();
        }

        text.AppendLine("| run | start | end | zone | node |");
        text.AppendLine("| ---: | --- | --- | --- | --- |");
        var number = 1;
        foreach (var run in entry.Runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {number++} | {ReportNumbers.Time(run.Start)} | {ReportNumbers.Time(run.End)} | {Cell(run.Zone)} | {Cell(run.Node ?? string.Empty)} |");
        }

        text.AppendLine();
    }

    private static void TotalsTable(StringBuilder text, string label, IEnumerable<(string Name, SavingsTotals Totals)> rows)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | Jobs | accounted | energy (kWh) | emitted | baseline | saved | saved % | temporal | spatial | holding |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, totals) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(name)} | {totals.Jobs} | {totals.Accounted} | {ReportNumbers.Number(totals.Kwh, 3)} | {ReportNumbers.Mass(totals.EmittedGrams)} | {ReportNumbers.Mass(totals.BaselineGrams)} | {ReportNumbers.Mass(totals.SavedGrams)} | {ReportNumbers.Percent(totals.SavedPercent)} | {ReportNumbers.Mass(totals.TemporalSavedGrams)} | {ReportNumbers.Mass(totals.SpatialSavedGrams)} | {ReportNumbers.Mass(totals.HoldingGrams)} |");
        }

        text.AppendLine();
    }

    // A table cell keeps its row: pipes are escaped, line breaks become spaces.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
