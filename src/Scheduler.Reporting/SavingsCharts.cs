using Scheduler.Core.Accounting;
using ScottPlot;

namespace Scheduler.Reporting;

/// <summary>The HTML report's charts, drawn with ScottPlot as SVG so that the page needs nothing else to show them.</summary>
internal static class SavingsCharts
{
    private const int Width = 960;
    private const int Height = 400;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Grams per stretch of the period, one stacked bar segment per namespace.</summary>
    /// <param name="summary">The report's summary.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="grams">The figure charted, from a bucket's totals.</param>
    public static string ByNamespaceOverTime(SavingsSummary summary, string title, Func<SavingsTotals, double> grams)
    {
        var plot = new Plot();
        var namespaces = summary.ByNamespace.Keys.ToList();
        var width = summary.BucketLength.TotalDays;
        var bars = new List<Bar>();
        foreach (var stretch in summary.Buckets.GroupBy(b => b.Start))
        {
            var x = stretch.Key.UtcDateTime.ToOADate() + (width / 2);
            double positive = 0, negative = 0;
            foreach (var bucket in stretch.OrderBy(b => b.Namespace, StringComparer.Ordinal))
            {
                // Savings may be negative (a forecast that proved wrong): those stack below zero.
                var value = grams(bucket.Totals) / 1000;
                var below = value < 0;
                var start = below ? negative : positive;
                var end = start + value;
                bars.Add(new Bar { Position = x, ValueBase = start, Value = end, Size = width * 0.8, FillColor = Palette.GetColor(namespaces.IndexOf(bucket.Namespace)), LineWidth = 0 });
                if (below)
                {
                    negative = end;
                }
                else
                {
                    positive = end;
                }
            }
        }

        plot.Add.Bars(bars);
        foreach (var (name, index) in namespaces.Select((n, i) => (n, i)))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = Palette.GetColor(index) });
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Margins(bottom: 0);

        // The whole period, so that quiet stretches show as such.
        plot.Axes.SetLimitsX(X(summary.From), X(summary.Until));
        plot.Title(title);
        plot.YLabel("kg CO2eq");
        plot.ShowLegend(Edge.Right);
        return Svg(plot);
    }

    /// <summary>One zone's actual intensity against the forecast issued ahead of it.</summary>
    public static string ForecastVersusActual(ZoneIntensityTrace trace, TimeSpan lead)
    {
        var plot = new Plot();
        var actual = plot.Add.ScatterLine(trace.Actual.Select(p => p.At.UtcDateTime.ToOADate()).ToArray(), trace.Actual.Select(p => p.GramsPerKwh).ToArray());
        actual.LegendText = "actual";
        actual.Color = Palette.GetColor(0);
        actual.LineWidth = 2;
        if (trace.Forecast.Count > 0)
        {
            var forecast = plot.Add.ScatterLine(trace.Forecast.Select(p => p.At.UtcDateTime.ToOADate()).ToArray(), trace.Forecast.Select(p => p.GramsPerKwh).ToArray());
            forecast.LegendText = $"forecast issued {lead.TotalHours:0} h or more ahead";
            forecast.Color = Palette.GetColor(1);
            forecast.LinePattern = LinePattern.Dashed;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"Carbon intensity of {trace.Zone}: forecast against actual");
        plot.YLabel("gCO2eq/kWh");
        plot.ShowLegend(Alignment.UpperRight);
        return Svg(plot);
    }

    /// <summary>
    /// One Job's zones' actual intensity over its life, with its submission, the window it would have run in at
    /// once (the baseline), its planned window and the windows it actually ran in, and the forecast its first plan saw.
    /// </summary>
    public static string JobTimeline(JobDetail detail)
    {
        var plot = new Plot();
        var entry = detail.Emissions.Entry;
        var zones = detail.Actuals.Select(p => p.Zone).Concat(detail.Forecasts.Select(p => p.Zone)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var runTime = entry.RunTime > TimeSpan.Zero ? entry.RunTime : TimeSpan.FromHours(1);

        var baseline = plot.Add.HorizontalSpan(X(entry.Submitted), X(entry.Submitted + runTime), Colors.Gray.WithAlpha(0.25));
        baseline.LegendText = "run at once (baseline)";
        if (detail.Plans.Count > 0)
        {
            var plan = detail.Plans[^1];
            var planned = plot.Add.HorizontalSpan(X(plan.PlannedStart), X(plan.PlannedStart + runTime), Colors.Orange.WithAlpha(0.25));
            planned.LegendText = "planned";
            var latest = plot.Add.VerticalLine(X(plan.LatestStart), 1, Colors.Red, LinePattern.Dotted);
            latest.LegendText = "latest safe start";
        }

        foreach (var (run, index) in entry.Runs.Select((r, i) => (r, i)))
        {
            var span = plot.Add.HorizontalSpan(X(run.Start), X(run.End), Colors.Green.WithAlpha(0.3));
            span.LegendText = index == 0 ? "ran" : string.Empty;
        }

        var submitted = plot.Add.VerticalLine(X(entry.Submitted), 1, Colors.Black, LinePattern.Dashed);
        submitted.LegendText = "submitted";
        foreach (var (zone, index) in zones.Select((z, i) => (z, i)))
        {
            var actual = detail.Actuals.Where(p => p.Zone == zone).OrderBy(p => p.At).ToList();
            if (actual.Count > 0)
            {
                var line = plot.Add.ScatterLine(actual.Select(p => X(p.At)).ToArray(), actual.Select(p => p.GramsPerKwh).ToArray());
                line.LegendText = $"{zone} actual";
                line.Color = Palette.GetColor(index);
                line.LineWidth = 2;
                line.ConnectStyle = ConnectStyle.StepHorizontal;
            }

            var forecast = detail.Forecasts.Where(p => p.Zone == zone).OrderBy(p => p.At).ToList();
            if (forecast.Count > 0)
            {
                var line = plot.Add.ScatterLine(forecast.Select(p => X(p.At)).ToArray(), forecast.Select(p => p.GramsPerKwh).ToArray());
                line.LegendText = $"{zone} forecast at the first plan";
                line.Color = Palette.GetColor(index);
                line.LinePattern = LinePattern.Dashed;
                line.ConnectStyle = ConnectStyle.StepHorizontal;
            }
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{entry.Namespace}/{entry.Name}: when it could have run, and when it did");
        plot.YLabel("gCO2eq/kWh");
        plot.ShowLegend(Edge.Right);
        return Svg(plot);
    }

    private static double X(DateTimeOffset time) => time.UtcDateTime.ToOADate();

    // Inline in the page: the XML declaration is not allowed there.
    private static string Svg(Plot plot)
    {
        var svg = plot.GetSvgXml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
