using Microsoft.Extensions.Logging;
using Scheduler.Core.Intensity;
using Scheduler.Core.Pods;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Wire;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Extender.Extending;

/// <summary>
/// Answers filter and prioritize requests from the domain logic, the node cache and the intensity cache; a sample of
/// the prioritized pods goes to the carbon ledger through <paramref name="sampler"/>, when there is one.
/// </summary>
internal sealed partial class ExtenderService(
    NodeScorer scorer,
    IntensityCapFilter capFilter,
    PodDemandReader pods,
    NodeDescriber describer,
    INodeCache nodeCache,
    IForecastLookup forecasts,
    TimeProvider time,
    SchedulerMetrics metrics,
    ILogger<ExtenderService> logger,
    ScoringSampler? sampler = null)
{
    private static readonly NodePowerProfile UnknownNode = new(0, 0, 0, null, PowerSource.Default, "node not in cache");

    /// <summary>The nodes that may run the pod, and why the others may not.</summary>
    public FilterResult Filter(ExtenderArgs args)
    {
        var pod = ReadPod(args.Pod);
        var nodes = Resolve(args);
        var result = capFilter.Filter(pod, nodes, forecasts, time.GetUtcNow());
        if (result.Failed.Count > 0)
        {
            // One line per request at Information; the per-node reasons (also in FailedNodes) at Debug,
            // since a capped pod can remove thousands of nodes per scheduling attempt.
            LogFilteredSummary(logger, pod.Namespace, pod.Name, result.Failed.Count, nodes.Count, pod.MaxIntensityGramsPerKwh ?? 0);
            var detailed = logger.IsEnabled(LogLevel.Debug);
            foreach (var node in nodes)
            {
                if (result.Failed.TryGetValue(node.Name, out var reason))
                {
                    metrics.RecordFiltered(node.Zone ?? "unknown");
                    if (detailed)
                    {
                        LogFiltered(logger, pod.Namespace, pod.Name, node.Name, reason);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>A score per candidate node, in request order.</summary>
    public NodeScore[] Prioritize(ExtenderArgs args)
    {
        var pod = ReadPod(args.Pod);
        var nodes = Resolve(args);
        var now = time.GetUtcNow();
        var scores = scorer.Score(pod, nodes, forecasts, now);
        metrics.RecordScores(scores);
        sampler?.Offer(pod, scores, now);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var score in scores)
            {
                LogScored(logger, pod.Namespace, pod.Name, score.Host, score.Score, score.Reason);
            }
        }

        return scores;
    }

    /// <summary>Neutral scores for every candidate, the answer when scoring itself fails.</summary>
    public static NodeScore[] Neutral(ExtenderArgs args, int neutralScore) =>
        args.CandidateNames
            .Select(name => new NodeScore(name, neutralScore, new ScoreReason(ScoreOutcome.NoIntensity, null, null, null, 1, 0, PowerSource.Default, "fault", 0, null)))
            .ToArray();

    private PodDemand ReadPod(PodFacts facts)
    {
        var pod = pods.Read(facts);
        foreach (var error in pod.AnnotationErrors)
        {
            LogBadAnnotation(logger, pod.Namespace, pod.Name, error);
        }

        return pod;
    }

    private List<NodeDescription> Resolve(ExtenderArgs args)
    {
        if (args.NodeNames is { } names)
        {
            var fromCache = new List<NodeDescription>(names.Count);
            foreach (var name in names)
            {
                fromCache.Add(nodeCache.Find(name) ?? new NodeDescription(name, null, UnknownNode));
            }

            return fromCache;
        }

        var sent = args.Nodes!;
        var described = new List<NodeDescription>(sent.Count);
        foreach (var node in sent)
        {
            described.Add(describer.Describe(node.Facts));
        }

        return described;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: {Removed} of {Candidates} nodes filtered out by max-intensity {Cap} gCO2eq/kWh")]
    private static partial void LogFilteredSummary(ILogger logger, string @namespace, string pod, int removed, int candidates, double cap);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: node {Node} filtered out: {Reason}")]
    private static partial void LogFiltered(ILogger logger, string @namespace, string pod, string node, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: node {Node} scored {Score}: {Reason}")]
    private static partial void LogScored(ILogger logger, string @namespace, string pod, string node, int score, ScoreReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod}: annotation ignored: {Error}")]
    private static partial void LogBadAnnotation(ILogger logger, string @namespace, string pod, string error);
}
