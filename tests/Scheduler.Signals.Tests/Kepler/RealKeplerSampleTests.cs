using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Polly;
using Scheduler.Core.Power;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Tests.Kepler.Fixtures;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Kepler;

/// <summary>
/// The real Kepler 0.7 data of <c>../shared/data/kepler/</c>: Prometheus range-query results from a
/// 2-socket Broadwell GPU node (2023-12-13), and user-pasted <c>/metrics</c> lines.
/// </summary>
public sealed partial class RealKeplerSampleTests
{
    private const string Node = "kind-fms-control-plane";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly Lazy<Dictionary<string, List<PromSeries>>> Families = new(ReadFamilies);

    [Fact]
    public void NodeOf_RealLegacySeries_IsKeplersOwnInstanceRenamedExportedInstance()
    {
        var dialect = new LegacyDialect(new KeplerOptions());

        Assert.All(Families.Value["kepler_node_package_joules_total"], s => Assert.Equal(Node, dialect.NodeOf(s, new Dictionary<string, string>())));
    }

    [Fact]
    public void EnergyCounter_RealPackageIdleCounter_GivesAbout28WattsPerSocket()
    {
        var idle = Families.Value["kepler_node_package_joules_total"].Single(s => s.Label("mode") == "idle" && s.Label("package") == "0");

        var increase = EnergyCounter.Increase(Samples(idle), new CounterRules(null, 5_000));

        // (17209.048 - 14762.883) J over the 87 s of the capture.
        Assert.Equal(2446.165, increase.Joules, 6);
        Assert.Equal(87, increase.Seconds);
        Assert.Equal(28.12, increase.MeanWatts!.Value, 2);
        Assert.True(increase.IsMeasured);
    }

    [Fact]
    public void QualityOf_RealSources_RaplAndNvidiaAreMeasuredDummyIsEstimated()
    {
        var dialect = new LegacyDialect(new KeplerOptions());

        Assert.Equal(ReadingQuality.Measured, dialect.QualityOf(Families.Value["kepler_node_package_joules_total"][0]));
        Assert.Equal(ReadingQuality.Measured, dialect.QualityOf(Families.Value["kepler_node_gpu_joules_total"][0]));

        // Issue #1349's dump: a node without GPUs reports its GPU counters from the "dummy" source.
        var excerpt = File.ReadAllLines(RepositoryPaths.SharedData("kepler", "kepler-0.7-exposition-excerpts-from-issues.txt"));
        var dummy = excerpt.Select(ParseLine).First(s => s?.Label("__name__") == "kepler_container_gpu_joules_total")!;
        Assert.Equal("dummy", dummy.Label("source"));
        Assert.Equal(ReadingQuality.Estimated, dialect.QualityOf(dummy));
        var rapl = excerpt.Select(ParseLine).First(s => s?.Label("source") == "rapl-sysfs" && s.Label("__name__") == "kepler_node_package_joules_total")!;
        Assert.Equal(ReadingQuality.Measured, dialect.QualityOf(rapl));
    }

    [Fact]
    public async Task ReadNodes_RealCaptureReplayedThroughPrometheus_ReadsTheNodesPowerGpusAndCpus()
    {
        // The capture's samples, with their labels and spacing, imported 10 minutes before now.
        var shift = DateTimeOffset.UtcNow.AddMinutes(-10) - Families.Value.Values.SelectMany(f => f).SelectMany(s => s.Points).Max(p => p.At);
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { BackfillOpenMetrics = OpenMetrics(shift) });
        var at = DateTimeOffset.FromUnixTimeSeconds(1_702_462_686) + shift;
        var reader = new KeplerReader(
            new PrometheusClient(Http, new Uri(prometheus.Url)),
            Options.Create(new KeplerOptions { PrometheusUrl = prometheus.Url, ReadingWindowSeconds = 100 }),
            ResiliencePipeline.Empty);

        Assert.Equal([KeplerSchema.Legacy], await reader.DetectSchemasAsync(at, default));
        var reading = Assert.Single(await reader.ReadNodesAsync(at, default));

        Assert.Equal(Node, reading.Node);
        Assert.Equal("Broadwell", reading.CpuModel);
        Assert.Equal(72, reading.Cpus);

        // Package and DRAM, dynamic and idle, both sockets: 14,065.735 J over 87 s.
        Assert.Equal(14_065.735 / 87, reading.CpuWatts!.Value.Value, 3);
        Assert.Equal(ReadingQuality.Measured, reading.CpuWatts.Value.Quality);

        // Kepler's eBPF CPU time: 31,865 ms over 87 s on 72 CPUs, a nearly idle node.
        Assert.InRange(reading.CpuUtilisation!.Value, 0.003, 0.008);

        // Five idle GPUs of about 4.6 W each (index 1's dynamic counter never moved).
        Assert.Equal(["0", "1", "2", "3", "4"], reading.Gpus.Select(g => g.Index));
        Assert.Equal((6.744 - 5.79 + 1982.526 - 1586.031) / 87, reading.Gpus[0].Watts.Value, 3);
        Assert.All(reading.Gpus, g => Assert.InRange(g.Watts.Value, 4, 5.5));
    }

    private static CounterSample[] Samples(PromSeries series) =>
        series.Points.Select(p => new CounterSample(p.At, p.Value)).ToArray();

    private static Dictionary<string, List<PromSeries>> ReadFamilies()
    {
        // The file maps each metric name to the "result" list of a range query: wrapped in the API's
        // envelope, the production reader reads it.
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.SharedData("kepler", "kepler-0.7-prom-query_range-idle.json")));
        var families = new Dictionary<string, List<PromSeries>>(StringComparer.Ordinal);
        foreach (var family in document.RootElement.EnumerateObject())
        {
            var envelope = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":" + family.Value.GetRawText() + "}}";
            families[family.Name] = PrometheusResponseReader.Read(Encoding.UTF8.GetBytes(envelope));
        }

        return families;
    }

    private static string OpenMetrics(TimeSpan shift)
    {
        var text = new StringBuilder();
        foreach (var (name, series) in Families.Value)
        {
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} unknown\n");
            foreach (var s in series)
            {
                var labels = string.Join(',', s.Labels.Where(l => l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\""));
                foreach (var point in s.Points)
                {
                    var seconds = (point.At + shift).ToUnixTimeMilliseconds() / 1000.0;
                    text.Append(CultureInfo.InvariantCulture, $"{name}{{{labels}}} {point.Value.ToString("R", CultureInfo.InvariantCulture)} {seconds:0.###}\n");
                }
            }
        }

        return text.Append("# EOF\n").ToString();
    }

    // One line of the text exposition format, as a series of one point; comments give null.
    private static PromSeries? ParseLine(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        labels["__name__"] = match.Groups["name"].Value;
        return new PromSeries(labels, [new PromPoint(DateTimeOffset.UnixEpoch, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture))]);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\}\s+(?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"")]
    private static partial Regex LabelPair();
}
