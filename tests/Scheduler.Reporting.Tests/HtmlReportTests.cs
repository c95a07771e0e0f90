using System.Text.RegularExpressions;
using Scheduler.Reporting.Tests.Support;
using SkiaSharp;
using static Scheduler.Reporting.Tests.Support.SeededLedger;

namespace Scheduler.Reporting.Tests;

/// <summary>
/// The HTML report as a browser shows it: rendered by headless Chromium to an image and to its loaded DOM, so a
/// page that does not load, or whose charts do not draw, fails.
/// </summary>
public partial class HtmlReportTests
{
    // ScottPlot's Category10: the namespaces' bar colours, etl first and ml second.
    private static readonly SKColor Blue = SKColor.Parse("#1f77b4");
    private static readonly SKColor Orange = SKColor.Parse("#ff7f0e");

    [Fact]
    public async Task Html_SeededLedger_RendersInChromiumWithItsChartsAndFigures()
    {
        var page = await WriteAsync(new SavingsReportRequest(Day, Day.AddDays(1)));

        var dom = await Chromium.DumpDomAsync(page);
        Assert.Contains("Saved: 825 g (48.5 %)", dom, StringComparison.Ordinal);
        Assert.Equal(["chart-emitted", "chart-saved", "chart-zone-A", "chart-zone-B"], FigureIds().Matches(dom).Select(m => m.Groups[1].Value));
        Assert.Equal(4, SvgElements().Count(dom));
        Assert.Contains("1 of 3 accounted Jobs was estimated", dom, StringComparison.Ordinal);

        var image = Path.ChangeExtension(page, ".png");
        await Chromium.ScreenshotAsync(page, image, 1280, 3000);
        using var bitmap = SKBitmap.Decode(image);
        Assert.Equal((1280, 3000), (bitmap.Width, bitmap.Height));
        Assert.True(Pixels(bitmap, Blue) > 500, "the etl bars are drawn");
        Assert.True(Pixels(bitmap, Orange) > 500, "the ml bars are drawn");
    }

    [Fact]
    public async Task Html_OneJob_AddsItsTimelineChart()
    {
        var page = await WriteAsync(new SavingsReportRequest(Day, Day.AddDays(1), Namespace: "ml", Job: "train-a"));

        var dom = await Chromium.DumpDomAsync(page);

        Assert.Contains("chart-job", FigureIds().Matches(dom).Select(m => m.Groups[1].Value));
        Assert.Contains("saved 600 g (85.7 %)", dom, StringComparison.Ordinal);
        Assert.Contains("held until 02:00 in B", dom, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync(SavingsReportRequest request)
    {
        var html = await SavingsReportTests.RenderAsync(request, ReportFormat.Html);
        var path = Path.Combine(Directory.CreateTempSubdirectory("savings-report-").FullName, "report.html");
        await File.WriteAllTextAsync(path, html);
        return path;
    }

    // Near the colour, allowing for anti-aliasing.
    private static int Pixels(SKBitmap bitmap, SKColor color)
    {
        var count = 0;
        foreach (var pixel in bitmap.Pixels)
        {
            if (Math.Abs(pixel.Red - color.Red) < 8 && Math.Abs(pixel.Green - color.Green) < 8 && Math.Abs(pixel.Blue - color.Blue) < 8)
            {
                count++;
            }
        }

        return count;
    }

    [GeneratedRegex("<figure id=\"([^\"]+)\"")]
    private static partial Regex FigureIds();

    [GeneratedRegex("<svg[ >]")]
    private static partial Regex SvgElements();
}
