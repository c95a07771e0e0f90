using Microsoft.Extensions.Options;
using Scheduler.Core.Scoring;
using Scheduler.Storage;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// Picks one pod in every <see cref="LedgerOptions.ScoringSampleEvery"/> scored by <c>/prioritize</c> (the first, then
/// every N-th) and queues its scores for the ledger, a sample per node. A pod not picked costs one interlocked
/// increment; a pod picked, one queued reference (the samples are made by the writer, off the request).
/// </summary>
internal sealed class ScoringSampler(BufferedLedgerWriter writer, IOptions<LedgerOptions> options, IOptions<StorageOptions> storage)
{
    private readonly long _every = options.Value.ScoringSampleEveryIn(storage.Value.UsesDatabase);
    private long _scored;

    /// <summary>Offers one pod's scores; <paramref name="scores"/> must not change afterwards.</summary>
    public void Offer(PodDemand pod, NodeScore[] scores, DateTimeOffset at)
    {
        if (_every <= 0 || scores.Length == 0 || (Interlocked.Increment(ref _scored) - 1) % _every != 0)
        {
            return;
        }

        writer.RecordScores(at, pod.Namespace, pod.Name, scores);
    }
}
