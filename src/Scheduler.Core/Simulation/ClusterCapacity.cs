namespace Scheduler.Core.Simulation;

/// <summary>
/// The room each zone's cluster has: at most <see cref="MaxJobs"/> jobs and <see cref="MaxGpus"/>
/// GPUs running at once (either may be left unbounded), so a policy that piles jobs into the same
/// clean hours pays for it in delay.
/// </summary>
/// <param name="MaxJobs">The most jobs running at once in one zone, or <c>null</c> for no limit.</param>
/// <param name="MaxGpus">The most GPUs (<see cref="SimulationJob.Gpus"/>) in use at once in one zone, or <c>null</c> for no limit.</param>
public sealed record ClusterCapacity(int? MaxJobs, int? MaxGpus)
{
    /// <summary>The grain of the occupancy record: runs are counted in whole minutes they touch.</summary>
    public static TimeSpan Resolution { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether a job of <paramref name="gpus"/> GPUs can ever run.</summary>
    public bool Admits(int gpus) => MaxJobs is not < 1 && (MaxGpus is null || gpus <= MaxGpus);
}
