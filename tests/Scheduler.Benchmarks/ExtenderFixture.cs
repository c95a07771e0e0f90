using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Core.Pods;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Extending;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Wire;
using Scheduler.Kubernetes.Nodes;
using Scheduler.LoadTest.Payloads;
using Scheduler.Signals.Forecasting;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Models;
using Scheduler.Signals.Power;
using Scheduler.Signals.Profiles;
using Scheduler.Signals.Regions;

namespace Scheduler.Benchmarks;

/// <summary>
/// The extender's real services wired by hand as the server wires them: the embedded models, the
/// built-in profiles' forecasts in the intensity cache, and the synthetic cluster in the node cache.
/// Metrics are recorded into a Prometheus registry of their own, as in the server; logging is off
/// (<see cref="NullLogger"/>), so the figures are the work, not the console.
/// </summary>
internal sealed class ExtenderFixture
{
    /// <summary>The instant every benchmark scores at: a Wednesday at midday UTC, when the four zones differ most.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 4, 12, 0, 0, TimeSpan.Zero);

    public ExtenderFixture(SyntheticCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var files = new ModelFiles();
        var catalog = CarbonProfileCatalog.Load(files);
        var provider = new ProfileIntensityProvider(catalog);
        Intensities = new IntensityCache();
        foreach (var zone in catalog.Zones)
        {
            // The profile provider answers synchronously; this is what IntensityRefresher stores at start.
            if (provider.GetForecastAsync(zone, Now, CancellationToken.None).GetAwaiter().GetResult() is { } forecast)
            {
                Intensities.Set(forecast);
            }
        }

        Scoring = new ScoringOptions();
        Scorer = new NodeScorer(Scoring);
        Pods = new PodDemandReader(Scoring);
        Describer = new NodeDescriber(new GridZoneResolver(CloudRegionMap.Load(files)), HardwarePowerCatalog.Load(files), Scoring);
        NodeCache = new NodeCache(Describer);
        var facts = NodeInventoryFile.Parse(Encoding.UTF8.GetString(cluster.NodeListJson()), "synthetic cluster");
        NodeCache.ReplaceAll(facts);
        Nodes = facts.Select(Describer.Describe).ToArray();

        var time = new FixedTimeProvider(Now);
        var carbon = Options.Create(new CarbonOptions());
        var intensityService = new IntensityService(
            Intensities,
            new ConfiguredZoneSources(carbon, provider, (zone, _) => throw new InvalidOperationException($"no provider configured for {zone}")),
            provider,
            new ProviderPipelines(carbon, time),
            new HarmonicForecaster(new HarmonicForecastOptions()),
            new ForecastErrorTracker(),
            carbon,
            time,
            NullLogger<IntensityService>.Instance);
        Metrics = new SchedulerMetrics(
            Prometheus.Metrics.NewCustomRegistry(),
            Intensities,
            intensityService,
            NodeCache,
            new MeasuredPowerCatalog(Options.Create(new KeplerOptions()), time),
            time);
        Service = new ExtenderService(
            Scorer,
            new IntensityCapFilter(Scorer),
            Pods,
            Describer,
            NodeCache,
            Intensities,
            time,
            Metrics,
            NullLogger<ExtenderService>.Instance);
    }

    public IntensityCache Intensities { get; }

    public ScoringOptions Scoring { get; }

    public NodeScorer Scorer { get; }

    public PodDemandReader Pods { get; }

    public NodeDescriber Describer { get; }

    public NodeCache NodeCache { get; }

    /// <summary>Every node of the cluster, described as the scorer sees it.</summary>
    public NodeDescription[] Nodes { get; }

    public SchedulerMetrics Metrics { get; }

    public ExtenderService Service { get; }

    /// <summary>The demand of <paramref name="pod"/>, read from its JSON exactly as a request's pod is.</summary>
    public PodDemand DemandOf(SyntheticCluster cluster, PodShape pod)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Pods.Read(ExtenderArgsReader.Read(cluster.ArgsWithNames(pod, 1)).Pod);
    }
}
