using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation;

/// <summary>Helpers over the stretches of a run.</summary>
internal static class RunChunks
{
    /// <summary>The stretches with adjacent ones joined: one run, not two, when a job does not stop.</summary>
    public static List<RunChunk> Merge(IReadOnlyList<RunChunk> chunks)
    {
        var merged = new List<RunChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (chunk.Length <= TimeSpan.Zero)
            {
                continue;
            }

            if (merged.Count > 0 && merged[^1].End == chunk.Start)
            {
                merged[^1] = new RunChunk(merged[^1].Start, chunk.End);
            }
            else
            {
                merged.Add(chunk);
            }
        }

        return merged;
    }
}
