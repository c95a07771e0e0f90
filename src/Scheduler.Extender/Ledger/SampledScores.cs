using Scheduler.Core.Accounting;
using Scheduler.Core.Scoring;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// The scores a sampled pod got, as <c>/prioritize</c> computed them: kept as they are, so that the request only
/// queues a reference, and turned into <see cref="ScoringSample"/>s (reason text and all) by the writer.
/// </summary>
/// <param name="At">When the pod was scored.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Scores">One score per candidate node; not changed after it is queued.</param>
internal sealed record SampledScores(DateTimeOffset At, string Namespace, string Pod, IReadOnlyList<NodeScore> Scores)
{
    /// <summary>Adds a sample per node to <paramref name="samples"/>.</summary>
    public void AddSamplesTo(List<ScoringSample> samples)
    {
        foreach (var score in Scores)
        {
            samples.Add(new ScoringSample(At, Namespace, Pod, score.Host, score.Reason.Zone, score.Score, score.Reason.Grams, score.Reason.ToString()));
        }
    }
}
