namespace Scheduler.Core.Simulation.Policies;

/// <summary>The baseline: every job runs at its nominal start, in its home zone, in one piece.</summary>
public sealed class ImmediatePolicy : IPlacementPolicy
{
    /// <inheritdoc />
    public string Name => "immediate";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
    }
}
