using System.Globalization;

namespace Scheduler.Cli.Evaluation;

/// <summary>The evaluation's results as Markdown tables: a summary of savings per grid, then the detail.</summary>
internal static class EvaluationTables
{
    /// <summary>Saved percent by W (rows) and grid and forecast (columns).</summary>
    public static void Nightly(TextWriter writer, IReadOnlyList<EvaluationResult> results, IReadOnlyList<string> zones)
    {
        var forecasts = results.Select(r => r.Forecast).Distinct().ToList();
        var headers = new List<string> { "W" };
        headers.AddRange(from zone in zones from forecast in forecasts select $"{zone}, {forecast}");
        var rows = results.Select(r => r.Case).Distinct().Select(@case =>
        {
            var row = new List<string> { @case };
            row.AddRange(from zone in zones
                         from forecast in forecasts
                         select Percent(results.Single(r => r.Case == @case && r.Zone == zone && r.Forecast == forecast).Figures.SavedPercent));
            return (IReadOnlyList<string>)row;
        });
        MarkdownTable.Write(writer, headers, rows);
    }

    /// <summary>Saved percent of each case, policy and forecast (rows) per grid (columns).</summary>
    public static void Summary(TextWriter writer, IReadOnlyList<EvaluationResult> results, IReadOnlyList<string> zones)
    {
        var headers = new List<string> { "case", "policy", "forecasts" };
        headers.AddRange(zones.Select(z => $"{z} saved"));
        // Each case and policy together, its forecasts side by side in the order they were run.
        var keys = results.Select(r => (r.Case, r.Label, r.Forecast)).Distinct().ToList();
        var rows = keys.GroupBy(k => (k.Case, k.Label)).SelectMany(g => g).Select(key =>
        {
            var row = new List<string> { key.Case, key.Label, key.Forecast };
            row.AddRange(zones.Select(zone =>
                results.SingleOrDefault(r => r.Zone == zone && (r.Case, r.Label, r.Forecast) == key) is { } result ? Percent(result.Figures.SavedPercent) : "-"));
            return (IReadOnlyList<string>)row;
        });
        MarkdownTable.Write(writer, headers, rows, textColumns: 3);
    }

    /// <summary>Every simulation with its emissions, delays and missed deadlines.</summary>
    public static void Detail(TextWriter writer, IReadOnlyList<EvaluationResult> results)
    {
        string[] headers = ["grid", "case", "policy", "forecasts", "jobs", "baseline kg", "policy kg", "saved", "mean delay h", "p95 delay h", "missed deadlines"];
        var rows = results.Select(r => (IReadOnlyList<string>)
        [
            r.Zone,
            r.Case,
            r.Label,
            r.Forecast,
            r.Figures.Jobs.ToString(CultureInfo.InvariantCulture),
            Number(r.Figures.BaselineGrams / 1000, "0.0"),
            Number(r.Figures.PolicyGrams / 1000, "0.0"),
            Percent(r.Figures.SavedPercent),
            Number(r.Figures.MeanDelayHours, "0.00"),
            Number(r.Figures.P95DelayHours, "0.00"),
            r.Figures.MissedDeadlines.ToString(CultureInfo.InvariantCulture),
        ]);
        MarkdownTable.Write(writer, headers, rows, textColumns: 4);
    }

    public static string Percent(double value) => Number(value, "0.0") + " %";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
