using System.Globalization;
using Scheduler.Core.Intensity;

namespace Scheduler.Core.Scoring;

/// <summary>
/// Removes the nodes whose zone is dirtier than the pod's <c>carbon-aware.io/max-intensity</c>, judged
/// by the same figure the score uses: the mean forecast intensity over the pod's expected run.
/// A pod without the annotation, and a node whose zone or intensity is unknown, are never filtered:
/// the cap only acts on what is known.
/// </summary>
public sealed class IntensityCapFilter(NodeScorer scorer)
{
    /// <summary>Filters <paramref name="nodes"/> for <paramref name="pod"/> starting at <paramref name="now"/>.</summary>
    public FilterResult Filter(PodDemand pod, IReadOnlyList<NodeDescription> nodes, IForecastLookup forecasts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(forecasts);

        var passed = new List<int>(nodes.Count);
        if (pod.MaxIntensityGramsPerKwh is not { } cap)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                passed.Add(i);
            }

            return new FilterResult(passed, new Dictionary<string, string>());
        }

        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var run = scorer.RunOf(pod);
        var window = new RunWindowIntensity(forecasts, now, run);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var (mean, source) = node.Zone is null ? (null, null) : window.Of(node.Zone);
            if (mean is { } intensity && intensity > cap)
            {
                failed[node.Name] = string.Create(
                    CultureInfo.InvariantCulture,
                    $"carbon-aware: zone {node.Zone} is expected at {intensity:0.#} gCO2eq/kWh ({source}) over the next {run.TotalHours:0.##} h, above the pod's max-intensity {cap:0.#}");
            }
            else
            {
                passed.Add(i);
            }
        }

        return new FilterResult(passed, failed);
    }
}
