using Scheduler.Core.Intensity;
using Scheduler.Core.Power;

namespace Scheduler.Core.Scoring;

/// <summary>
/// Scores candidate nodes for a pod by the grams of CO2eq the pod is expected to cause on each:
/// marginal watts x mean forecast intensity of the node's zone over the pod's run x PUE x hours.
/// The expected grams of all scored nodes map linearly onto 0..10, the cleanest getting 10.
/// </summary>
public sealed class NodeScorer
{
    /// <summary>The lowest extender score (kube-scheduler's <c>MinExtenderPriority</c>).</summary>
    public const int MinScore = 0;

    /// <summary>The highest extender score (kube-scheduler's <c>MaxExtenderPriority</c>).</summary>
    public const int MaxScore = 10;

    private readonly ScoringOptions _options;

    /// <summary>Creates a scorer.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public NodeScorer(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
    }

    /// <summary>The expected run of <paramref name="pod"/>.</summary>
    public TimeSpan RunOf(PodDemand pod) => pod.Duration is { } d && d > TimeSpan.Zero ? d : _options.DefaultDuration;

    /// <summary>
    /// The CPU cores a pod is charged for: its request, or <see cref="ScoringOptions.DefaultCpuCores"/> (0.1 by
    /// default, as kube-scheduler) when it requests none.
    /// </summary>
    /// <param name="requestedCores">The cores the pod requests; 0 when none.</param>
    public double CpuCoresOf(double requestedCores) => requestedCores > 0 ? requestedCores : _options.DefaultCpuCores;

    /// <summary>
    /// The marginal power of a pod on a node, split into its CPU and GPU parts, in watts: what scoring charges the
    /// pod with (<see cref="NodePowerProfile.MarginalWatts"/> of <see cref="CpuCoresOf"/> and the GPUs).
    /// </summary>
    /// <param name="requestedCores">The cores the pod requests; 0 when none.</param>
    /// <param name="gpus">The GPUs it requests.</param>
    /// <param name="power">The node's power profile.</param>
    public (double CpuWatts, double GpuWatts) MarginalWatts(double requestedCores, double gpus, NodePowerProfile power)
    {
        ArgumentNullException.ThrowIfNull(power);
        var cores = CpuCoresOf(requestedCores);
        var cpu = power.MarginalWatts(cores, 0);
        return (cpu, Math.Max(0, power.MarginalWatts(cores, gpus) - cpu));
    }

    /// <summary>Scores every node in <paramref name="nodes"/> for <paramref name="pod"/> starting at <paramref name="now"/>.</summary>
    /// <returns>One score per node, in the order given.</returns>
    public NodeScore[] Score(PodDemand pod, IReadOnlyList<NodeDescription> nodes, IForecastLookup forecasts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(forecasts);

        var run = RunOf(pod);
        var hours = run.TotalHours;
        var cpuCores = CpuCoresOf(pod.CpuCores);
        var window = new RunWindowIntensity(forecasts, now, run);
        var scores = new NodeScore[nodes.Count];
        var minGrams = double.PositiveInfinity;
        var maxGrams = double.NegativeInfinity;

        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var watts = node.Power.MarginalWatts(cpuCores, pod.Gpus);
            if (node.Zone is null)
            {
                scores[i] = Neutral(node, ScoreOutcome.ZoneUnknown, watts, hours);
                continue;
            }

            var (mean, source) = window.Of(node.Zone);
            if (mean is null)
            {
                scores[i] = Neutral(node, ScoreOutcome.NoIntensity, watts, hours);
                continue;
            }

            var pue = _options.PueOf(node.Zone);
            var grams = watts * hours * mean.Value * pue / 1000.0;
            minGrams = Math.Min(minGrams, grams);
            maxGrams = Math.Max(maxGrams, grams);
            scores[i] = new NodeScore(
                node.Name,
                MaxScore,
                new ScoreReason(ScoreOutcome.Scored, node.Zone, mean, source, pue, watts, node.Power.Source, node.Power.Model, hours, grams));
        }

        var range = maxGrams - minGrams;
        for (var i = 0; i < scores.Length; i++)
        {
            ref var score = ref scores[i];
            if (score.Reason.Outcome == ScoreOutcome.Scored && range > 0)
            {
                var cleanliness = (maxGrams - score.Reason.Grams!.Value) / range;
                score = score with { Score = (int)Math.Round(MinScore + (cleanliness * (MaxScore - MinScore)), MidpointRounding.AwayFromZero) };
            }
        }

        return scores;
    }

    private NodeScore Neutral(NodeDescription node, ScoreOutcome outcome, double watts, double hours) =>
        new(
            node.Name,
            _options.NeutralScore,
            new ScoreReason(outcome, node.Zone, null, null, node.Zone is null ? 1 : _options.PueOf(node.Zone), watts, node.Power.Source, node.Power.Model, hours, null));
}
