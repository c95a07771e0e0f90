using System.Globalization;
using System.Net;
using System.Text;
using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>
/// The HTML report: one self-contained page (styles and SVG charts inline, no script, nothing fetched)
/// with the headline, emissions and savings over time by namespace, forecast against actual intensity
/// per zone, the tables of the Markdown report, the Job asked for, and the assumptions.
/// </summary>
public sealed class HtmlReportWriter(TextWriter output) : ISavingsReportWriter
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1280px; color: #1f2933; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d9e2ec; padding-bottom: .3rem; }
        .scope { color: #52606d; margin-top: 0; }
        .cards { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
        .card { border: 1px solid #d9e2ec; border-radius: 6px; padding: .8rem 1.2rem; min-width: 10rem; }
        .card .value { font-size: 1.5rem; font-weight: 600; }
        .card .label { color: #52606d; font-size: .85rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { border-bottom: 1px solid #e4e7eb; padding: .3rem .6rem; text-align: left; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1rem 0; }
        figure svg { max-width: 100%; height: auto; }
        .assumptions li { margin-bottom: .3rem; }
        footer { color: #7b8794; font-size: .8rem; margin-top: 2rem; }
        """;

    /// <inheritdoc />
    public ValueTask WriteJobAsync(JobEmissions job, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask CompleteAsync(SavingsReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await output.WriteAsync(Render(report)).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole page.</summary>
    public static string Render(SavingsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = report.Summary;
        var total = summary.Total;
        var html = new StringBuilder();
        var title = $"Carbon savings, {ReportNumbers.Time(summary.From)} to {ReportNumbers.Time(summary.Until)}";
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<style>{Style}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"scope\">{E(ReportText.Scope(report))}</p>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p id=\"headline\">{E(ReportText.Headline(total))}</p>");
        if (ReportText.DryRun(total) is { } dryRun)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<p id=\"dry-run\">{E(dryRun)}</p>");
        }

        html.AppendLine("<div class=\"cards\">");
        Card(html, "emitted", ReportNumbers.Mass(total.EmittedGrams), "CO2eq emitted");
        Card(html, "baseline", ReportNumbers.Mass(total.BaselineGrams), "had every Job run at once");
        Card(html, "saved", ReportNumbers.Mass(total.SavedGrams), $"saved ({ReportNumbers.Percent(total.SavedPercent)})");
        Card(html, "energy", string.Create(CultureInfo.InvariantCulture, $"{total.Kwh:0.##} kWh"), "energy used");
        Card(html, "jobs", string.Create(CultureInfo.InvariantCulture, $"{total.Accounted} / {total.Jobs}"), "Jobs accounted for");
        html.AppendLine("</div>");

        if (summary.Buckets.Count > 0)
        {
            var stretch = Stretch(summary.BucketLength);
            html.AppendLine("<h2>Emissions and savings over time</h2>");
            Figure(html, "chart-emitted", SavingsCharts.ByNamespaceOverTime(summary, $"Emitted per {stretch}, by namespace", t => t.EmittedGrams));
            Figure(html, "chart-saved", SavingsCharts.ByNamespaceOverTime(summary, $"Saved per {stretch} against running at once, by namespace", t => t.SavedGrams));
        }

        TotalsTable(html, "By namespace", "namespace", summary.ByNamespace.Select(n => (n.Key, n.Value)));
        if (summary.ByTeam.Keys.Any(k => k.Length > 0))
        {
            TotalsTable(html, "By team", "team", summary.ByTeam.Select(t => (t.Key.Length > 0 ? t.Key : "(no team)", t.Value)));
        }

        TopJobs(html, summary.TopJobs);
        if (report.Job is { } detail)
        {
            JobSection(html, detail);
        }

        if (report.Zones.Count > 0)
        {
            html.AppendLine("<h2>Forecast against actual intensity</h2>");
            foreach (var zone in report.Zones)
            {
                Figure(html, "chart-zone-" + zone.Zone, SavingsCharts.ForecastVersusActual(zone, SavingsReportBuilder.ForecastLead));
            }
        }

        html.AppendLine("<h2>Assumptions</h2><ul class=\"assumptions\">");
        foreach (var line in report.Assumptions)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>{E(line)}</li>");
        }

        html.AppendLine("</ul>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<footer>Generated {E(ReportNumbers.Time(report.GeneratedAt))}. Grams are gCO2eq; intensities gCO2eq/kWh.</footer>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Card(StringBuilder html, string id, string value, string label) =>
        html.AppendLine(CultureInfo.InvariantCulture, $"<div class=\"card\" id=\"card-{id}\"><div class=\"value\">{E(value)}</div><div class=\"label\">{E(label)}</div></div>");

    private static void Figure(StringBuilder html, string id, string svg) =>
        html.AppendLine(CultureInfo.InvariantCulture, $"<figure id=\"{E(id)}\">{svg}</figure>");

    private static void TotalsTable(StringBuilder html, string heading, string label, IEnumerable<(string Name, SavingsTotals Totals)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.AppendLine(CultureInfo.InvariantCulture, $"<h2>{E(heading)}</h2><table><thead><tr><th>{E(label)}</th><th class=\"n\">Jobs</th><th class=\"n\">accounted</th><th class=\"n\">energy (kWh)</th><th class=\"n\">emitted</th><th class=\"n\">baseline</th><th class=\"n\">saved</th><th class=\"n\">saved %</th><th class=\"n\">by timing</th><th class=\"n\">by location</th><th class=\"n\">holding</th></tr></thead><tbody>");
        foreach (var (name, t) in list)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td class=\"n\">{t.Jobs}</td><td class=\"n\">{t.Accounted}</td><td class=\"n\">{t.Kwh:0.###}</td><td class=\"n\">{E(ReportNumbers.Mass(t.EmittedGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(t.BaselineGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(t.SavedGrams))}</td><td class=\"n\">{E(ReportNumbers.Percent(t.SavedPercent))}</td><td class=\"n\">{E(ReportNumbers.Mass(t.TemporalSavedGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(t.SpatialSavedGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(t.HoldingGrams))}</td></tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static void TopJobs(StringBuilder html, IReadOnlyList<JobEmissions> jobs)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        html.AppendLine("<h2>Jobs that saved most</h2><table id=\"top-jobs\"><thead><tr><th>Job</th><th>submitted</th><th>ran in</th><th class=\"n\">energy (kWh)</th><th class=\"n\">emitted</th><th class=\"n\">baseline</th><th class=\"n\">saved</th><th class=\"n\">SCI per run</th></tr></thead><tbody>");
        foreach (var job in jobs)
        {
            var entry = job.Entry;
            var estimated = entry.Energy?.Source == EnergySource.Estimated ? " (estimated)" : string.Empty;
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(entry.Namespace)}/{E(entry.Name)}</td><td>{E(ReportNumbers.Time(entry.Submitted))}</td><td>{E(string.Join(' ', entry.Runs.Select(r => r.Zone).Distinct(StringComparer.Ordinal)))}</td><td class=\"n\">{E(ReportNumbers.Number(entry.Energy?.Kwh, 3))}{E(estimated)}</td><td class=\"n\">{E(ReportNumbers.Mass(job.EmittedGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(job.BaselineGrams))}</td><td class=\"n\">{E(ReportNumbers.Mass(job.SavedGrams))} ({E(ReportNumbers.Percent(job.SavedPercent))})</td><td class=\"n\">{E(ReportNumbers.Mass(job.SciGrams))}</td></tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static void JobSection(StringBuilder html, JobDetail detail)
    {
        var entry = detail.Emissions.Entry;
        html.AppendLine(CultureInfo.InvariantCulture, $"<h2>Job {E(entry.Namespace)}/{E(entry.Name)}</h2>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p id=\"job-outcome\">Submitted {E(ReportNumbers.Time(entry.Submitted))}; {E(ReportText.JobOutcome(detail.Emissions))}</p>");
        Figure(html, "chart-job", SavingsCharts.JobTimeline(detail));
        if (detail.Plans.Count > 0)
        {
            html.AppendLine("<table><thead><tr><th>planned at</th><th>start</th><th>zone</th><th>latest start</th><th class=\"n\">expected</th><th class=\"n\">baseline</th><th>reason</th></tr></thead><tbody>");
            foreach (var plan in detail.Plans)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(ReportNumbers.Time(plan.At))}</td><td>{E(ReportNumbers.Time(plan.PlannedStart))}</td><td>{E(plan.Zone ?? string.Empty)}</td><td>{E(ReportNumbers.Time(plan.LatestStart))}</td><td class=\"n\">{E(ReportNumbers.Number(plan.ExpectedIntensity, 0))}</td><td class=\"n\">{E(ReportNumbers.Number(plan.BaselineIntensity, 0))}</td><td>{E(plan.Reason)}</td></tr>");
            }

            html.AppendLine("</tbody></table>");
        }
    }

    private static string Stretch(TimeSpan bucket) =>
        bucket == TimeSpan.FromHours(1) ? "hour" : bucket == TimeSpan.FromDays(1) ? "day" : "week";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
