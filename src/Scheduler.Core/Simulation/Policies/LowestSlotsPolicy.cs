using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation.Policies;

/// <summary>
/// For interruptible jobs, the cleanest forecast steps between submission and deadline that add up
/// to the job's run, each stretch at least <see cref="MinimumChunk"/> long (interruptible shifting as
/// in Wiesner et al., Middleware 2021); other jobs get the cleanest window.
/// </summary>
/// <param name="MinimumChunk">The shortest stretch worth resuming for.</param>
public sealed record LowestSlotsPolicy(TimeSpan MinimumChunk) : IPlacementPolicy
{
    /// <inheritdoc />
    public string Name => "lowest-slots";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (!job.Interruptible || forecasts.ForecastAt(job.HomeZone, job.Submit) is not { } forecast)
        {
            return new LowestWindowPolicy().Place(job, forecasts);
        }

        var plan = InterruptiblePlanner.FindBest(forecast, job.Submit, job.Deadline, job.Duration, MinimumChunk);
        if (plan is null)
        {
            return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
        }

        // The planner works in whole steps; the job stops once its own run is done.
        var chunks = new List<RunChunk>(plan.Chunks.Count);
        var left = job.Duration;
        foreach (var chunk in plan.Chunks)
        {
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var length = chunk.Length < left ? chunk.Length : left;
            chunks.Add(new RunChunk(chunk.Start, chunk.Start + length));
            left -= length;
        }

        return new JobRun(job.HomeZone, chunks);
    }
}
