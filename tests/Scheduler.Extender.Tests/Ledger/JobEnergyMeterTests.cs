using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Core.Accounting;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Models;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Regions;

namespace Scheduler.Extender.Tests.Ledger;

/// <summary>
/// The energy of finished Jobs: measured through a real Prometheus scraping simulated Kepler 0.10+ exporters
/// (<see cref="MeteredJobsCluster"/>), and estimated from the shipped hardware models. The node cache holds m5-1 (an
/// m5.4xlarge: 16 vCPUs of intel-skylake, 0.61 to 4.1 W each) and g-1 (a g4dn.xlarge: 4 vCPUs of intel-cascadelake,
/// 0.69 to 4.06 W each, and a T4 of 70 W).
/// </summary>
public sealed class JobEnergyMeterTests(MeteredJobsCluster cluster) : IClassFixture<MeteredJobsCluster>
{
    // A pod of 4 cores on m5-1 adds 4 x (4.1 - 0.61) W; on g-1, 4 x (4.06 - 0.69) W and 70 W per GPU.
    private const double M5PodWatts = 4 * 3.49;
    private const double G4dnPodCpuWatts = 4 * 3.37;
    private const double T4Watts = 70;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly Lazy<(HardwarePowerCatalog Hardware, NodeDescriber Describer)> Models = new(() =>
    {
        var files = new ModelFiles();
        var hardware = HardwarePowerCatalog.Load(files);
        return (hardware, new NodeDescriber(new GridZoneResolver(CloudRegionMap.Load(files)), hardware, new ScoringOptions()));
    });

    // The workload around everything the exporters served; now, not later (see the reader's tests).
    private DateTimeOffset From => cluster.Started.AddSeconds(-5);

    private static DateTimeOffset To => DateTimeOffset.UtcNow;

    [Fact]
    public async Task MeasureAsync_PodsKeplerSaw_AreTheirCountersMeasured()
    {
        var (from, to) = (From, To);
        var metered = await Meter(Kepler()).MeasureAsync(
            Workload(from, to, Pod("train-0", "m5-1", cores: 4), Pod("gpu-0", "g-1", cores: 4, gpus: 1)),
            default);

        var energy = metered!.Energy;
        Assert.Equal(EnergySource.Measured, energy.Source);
        Assert.Equal(cluster.Finishing.TrueCpuJoules + cluster.Gpu.TrueCpuJoules, energy.CpuJoules, 1e-6);
        Assert.Equal(cluster.Gpu.TrueGpuJoules, energy.GpuJoules, 1e-6);
        Assert.True(cluster.Finishing.TrueCpuJoules > 40 * 3, $"train-0 ran {cluster.Finishing.TrueCpuJoules} J");
    }

    [Fact]
    public async Task MeasureAsync_PodKeplerNeverSaw_IsEstimatedFromItsNodesModel_AndTheJobIsEstimated()
    {
        var (from, to) = (From, To);
        var metered = await Meter(Kepler()).MeasureAsync(
            Workload(from, to, Pod("train-1", "m5-1", cores: 4), Pod("train-9", "m5-1", cores: 4, started: from, finished: to)),
            default);

        var energy = metered!.Energy;
        Assert.Equal(EnergySource.Estimated, energy.Source);
        var estimated = M5PodWatts * (to - from).TotalSeconds;
        Assert.Equal(cluster.Running.TrueCpuJoules + estimated, energy.CpuJoules, 1e-6);
        Assert.Equal(0, energy.GpuJoules);
    }

    [Fact]
    public async Task MeasureAsync_GpuPodKeplerCountsNoGpuEnergyFor_HasItsGpuPartEstimated()
    {
        var (from, to) = (From, To);
        var metered = await Meter(Kepler()).MeasureAsync(
            Workload(from, to, Pod("cpu-on-gpu-0", "g-1", cores: 4, gpus: 1, started: from, finished: to)),
            default);

        var energy = metered!.Energy;
        Assert.Equal(EnergySource.Estimated, energy.Source);
        Assert.Equal(cluster.CpuOnGpuNode.TrueCpuJoules, energy.CpuJoules, 1e-6);
        Assert.Equal(T4Watts * (to - from).TotalSeconds, energy.GpuJoules, 1e-6);
    }

    [Fact]
    public async Task MeasureAsync_NoKepler_EstimatesEveryPodFromItsNodesModel()
    {
        var metered = await Meter(reader: null).MeasureAsync(TwoHourJob(), default);

        Assert.Equal(EnergySource.Estimated, metered!.Energy.Source);
        AssertTwoHourJobEstimate(metered);
    }

    [Fact]
    public async Task MeasureAsync_PrometheusHangs_EstimatesWithinTheReadTimeout()
    {
        using var hanging = new HangingServer();
        var options = new KeplerOptions { PrometheusUrl = hanging.Url.ToString(), QueryTimeoutSeconds = 1, MaxRetryAttempts = 1 };
        var meter = Meter(Kepler(options), options);
        Assert.Equal(TimeSpan.FromSeconds(2), meter.ReadTimeout);

        var elapsed = Stopwatch.StartNew();
        var metered = await meter.MeasureAsync(TwoHourJob(), default);

        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(EnergySource.Estimated, metered!.Energy.Source);
        AssertTwoHourJobEstimate(metered);
    }

    [Fact]
    public async Task MeasureAsync_PrometheusRefusesConnections_EstimatesAfterItsRetries()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var options = new KeplerOptions { PrometheusUrl = $"http://127.0.0.1:{port}", MaxRetryAttempts = 2 };

        var elapsed = Stopwatch.StartNew();
        var metered = await Meter(Kepler(options), options).MeasureAsync(TwoHourJob(), default);

        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        AssertTwoHourJobEstimate(metered!);
    }

    [Fact]
    public async Task MeasureAsync_PodsOnKnownInstanceTypes_SumTheirEmbodiedShares()
    {
        var at = new DateTimeOffset(2026, 1, 14, 10, 0, 0, TimeSpan.Zero);

        // The models' README example: 8 vCPUs of an m5 host (1,610.79 kg over 96 vCPUs and 4 years) for 2 h:
        // 1,610,790 g x 2 / 35,064 x 8 / 96 = 7.656 g.
        var one = await Meter(reader: null).MeasureAsync(Workload(at, at.AddHours(2), Pod("a", "m5-1", cores: 8)), default);
        Assert.Equal(7.656428, one!.EmbodiedGrams!.Value, 1e-6);

        // Without a node whose host the models know, the share is unknown, not zero.
        var unknown = await Meter(reader: null).MeasureAsync(Workload(at, at.AddHours(2), Pod("a", "gone-1", cores: 8), Pod("b", null, cores: 8)), default);
        Assert.Null(unknown!.EmbodiedGrams);
    }

    [Fact]
    public async Task MeasureAsync_NoPods_IsNull()
    {
        var at = new DateTimeOffset(2026, 1, 14, 10, 0, 0, TimeSpan.Zero);

        Assert.Null(await Meter(reader: null).MeasureAsync(Workload(at, at.AddHours(1)), default));
    }

    // From T to T + 2 h, long before the exporters ran: a on m5-1 (4 cores) throughout; b on g-1 (4 cores, 1 GPU)
    // from T + 30 min to the end; c on a node the cache does not know (no CPU request, 1 GPU) from before T to T + 1 h.
    private static FinishedWorkload TwoHourJob()
    {
        var at = new DateTimeOffset(2026, 1, 14, 10, 0, 0, TimeSpan.Zero);
        return Workload(
            at,
            at.AddHours(2),
            Pod("a", "m5-1", cores: 4, started: at, finished: at.AddHours(2)),
            Pod("b", "g-1", cores: 4, gpus: 1, started: at.AddMinutes(30)),
            Pod("c", "gone-1", cores: 0, gpus: 1, started: at.AddHours(-1), finished: at.AddHours(1)));
    }

    private static void AssertTwoHourJobEstimate(MeteredEnergy metered)
    {
        // a: 13.96 W x 7,200 s = 100,512 J. b: 13.48 W and 70 W x 5,400 s = 72,792 J and 378,000 J. c, on the
        // default model: 0.1 core (the scorer's default) x (3.5 - 0.74) W = 0.276 W, and the default GPU's 300 W,
        // x 3,600 s = 993.6 J and 1,080,000 J.
        Assert.Equal(100_512 + 72_792 + 993.6, metered.Energy.CpuJoules, 1e-6);
        Assert.Equal(378_000 + 1_080_000, metered.Energy.GpuJoules, 1e-6);

        // a: 1,610,790 g x 7,200 s / 126,230,400 s (4 years) x 4/96 = 3.828214 g. b: 3,010,790 g x 5,400 s /
        // 126,230,400 s x max(4/96, 1/8 GPUs) = 16.099793 g. c's host is unknown and left out.
        Assert.Equal(3.828214 + 16.099793, metered.EmbodiedGrams!.Value, 1e-5);
    }

    private static FinishedWorkload Workload(DateTimeOffset from, DateTimeOffset to, params WorkloadPod[] pods) =>
        new("ml", "train", pods, from, to);

    private static WorkloadPod Pod(string name, string? node, double cores, double gpus = 0, DateTimeOffset? started = null, DateTimeOffset? finished = null) =>
        new(name, node, cores, gpus, started, finished);

    private KeplerReader Kepler(KeplerOptions? options = null)
    {
        options ??= new KeplerOptions { PrometheusUrl = cluster.Prometheus.Url };
        return new KeplerReader(new PrometheusClient(Http, new Uri(options.PrometheusUrl!)), Options.Create(options), KeplerPipeline.Create(options, TimeProvider.System));
    }

    private JobEnergyMeter Meter(KeplerReader? reader, KeplerOptions? options = null)
    {
        var (hardware, describer) = Models.Value;
        var nodes = new NodeCache(describer);
        nodes.ReplaceAll(
        [
            Node("m5-1", "m5.4xlarge", cpus: 16),
            Node("g-1", "g4dn.xlarge", cpus: 4, gpus: 1, gpuProduct: "Tesla-T4"),
        ]);
        options ??= new KeplerOptions { PrometheusUrl = reader is null ? null : cluster.Prometheus.Url };
        return new JobEnergyMeter(
            nodes,
            describer,
            hardware,
            new NodeScorer(new ScoringOptions()),
            Options.Create(options),
            TimeProvider.System,
            NullLogger<JobEnergyMeter>.Instance,
            reader);
    }

    private static NodeFacts Node(string name, string instanceType, int cpus, int gpus = 0, string? gpuProduct = null)
    {
        var labels = new Dictionary<string, string> { [NodeLabels.InstanceType] = instanceType, [NodeLabels.Region] = "eu-central-1" };
        var allocatable = new Dictionary<string, string> { ["cpu"] = cpus.ToString(System.Globalization.CultureInfo.InvariantCulture), ["memory"] = "16Gi" };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            labels["nvidia.com/gpu.product"] = gpuProduct!;
        }

        return new NodeFacts(name, labels, allocatable);
    }
}
