using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation;

/// <summary>Where and when a policy runs a job: one zone, one or more stretches in time order.</summary>
/// <param name="Zone">The grid zone.</param>
/// <param name="Chunks">The stretches the job runs in.</param>
public sealed record JobRun(string Zone, IReadOnlyList<RunChunk> Chunks)
{
    /// <summary>A run in one piece.</summary>
    public static JobRun Whole(string zone, DateTimeOffset start, TimeSpan duration) => new(zone, [new RunChunk(start, start + duration)]);

    /// <summary>When the job starts.</summary>
    public DateTimeOffset Start => Chunks[0].Start;

    /// <summary>When the job finishes.</summary>
    public DateTimeOffset End => Chunks[^1].End;
}
