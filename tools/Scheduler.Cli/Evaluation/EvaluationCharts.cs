using Scheduler.Core.Intensity;
using ScottPlot;

namespace Scheduler.Cli.Evaluation;

/// <summary>The evaluation's figures, drawn with ScottPlot and saved as PNG.</summary>
internal static class EvaluationCharts
{
    private const int Width = 960;
    private const int Height = 480;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Saved percent against W, one line per grid and forecast kind.</summary>
    public static void Nightly(IReadOnlyList<EvaluationResult> results, IReadOnlyList<string> zones, string path)
    {
        var plot = new Plot();
        for (var z = 0; z < zones.Count; z++)
        {
            foreach (var forecast in results.Select(r => r.Forecast).Distinct())
            {
                var points = results.Where(r => r.Zone == zones[z] && r.Forecast == forecast).ToList();
                var xs = Enumerable.Range(0, points.Count).Select(w => (double)w).ToArray();
                var line = plot.Add.Scatter(xs, points.Select(p => p.Figures.SavedPercent).ToArray());
                line.Color = Palette.GetColor(z);
                line.LegendText = $"{zones[z]}, {forecast}";
                if (forecast != EvaluationSuite.Perfect)
                {
                    line.LinePattern = LinePattern.Dashed;
                    line.MarkerShape = MarkerShape.OpenCircle;
                }
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Title("Nightly 30-minute job at 01:00, free to move W hours either way");
        plot.XLabel("W (hours)");
        plot.YLabel("emissions saved (%)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Saved percent per grid as grouped bars, one bar per series.</summary>
    /// <param name="title">The figure's title.</param>
    /// <param name="zones">The grids, one group each.</param>
    /// <param name="series">Each bar's legend text and its value per grid.</param>
    /// <param name="path">Where to save the PNG.</param>
    public static void GroupedBars(string title, IReadOnlyList<string> zones, IReadOnlyList<(string Name, Func<string, double> Value)> series, string path)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var groupWidth = series.Count + 1.0;
        for (var z = 0; z < zones.Count; z++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                bars.Add(new Bar { Position = (z * groupWidth) + s, Value = series[s].Value(zones[z]), FillColor = Palette.GetColor(s), LineWidth = 0 });
            }
        }

        plot.Add.Bars(bars);
        var ticks = zones.Select((zone, z) => new Tick((z * groupWidth) + ((series.Count - 1) / 2.0), zone)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        for (var s = 0; s < series.Count; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = Palette.GetColor(s) });
        }

        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel("emissions saved (%)");

        // Beside the plot, where it cannot hide a bar.
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width + 280, Height);
    }

    /// <summary>Each grid's mean intensity by hour of day over the whole series: why the results differ.</summary>
    public static void DailyProfiles(IReadOnlyList<(string Zone, IntensitySeries Actual)> grids, string path)
    {
        var plot = new Plot();
        for (var z = 0; z < grids.Count; z++)
        {
            var (zone, actual) = grids[z];
            var sums = new double[24];
            var counts = new int[24];
            for (var i = 0; i < actual.Count; i++)
            {
                var hour = (actual.Start + (actual.Step * i)).Hour;
                sums[hour] += actual[i];
                counts[hour]++;
            }

            var line = plot.Add.Scatter(Enumerable.Range(0, 24).Select(h => (double)h).ToArray(), sums.Select((sum, h) => sum / Math.Max(1, counts[h])).ToArray());
            line.Color = Palette.GetColor(z);
            line.LegendText = zone;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(2);
        plot.Title("Mean carbon intensity by hour of day, 2025");
        plot.XLabel("hour of day (local time of the data)");
        plot.YLabel("gCO2eq/kWh");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }
}
