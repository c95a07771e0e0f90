using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation.Policies;

/// <summary>
/// For interruptible jobs, the cleanest forecast steps between submission and deadline that add up
/// to the job's run, each stretch at least <see cref="MinimumChunk"/> long (interruptible shifting as
/// in Wiesner et al., Middleware 2021). With <see cref="AcrossZones"/>, the zone among the job's zones
/// whose cleanest steps are cleanest, the job staying there for its whole run (spatio-temporal
/// shifting, Sukprasert et al., EuroSys 2024). Other jobs get the cleanest window.
/// </summary>
/// <param name="MinimumChunk">The shortest stretch worth resuming for.</param>
/// <param name="AcrossZones">Whether the job may move to another of its zones.</param>
public sealed record LowestSlotsPolicy(TimeSpan MinimumChunk, bool AcrossZones = false) : IPlacementPolicy
{
    // Means closer than this are the same, and the zone listed first wins (gCO2eq/kWh).
    private const double Tolerance = 1e-9;

    /// <inheritdoc />
    public string Name => AcrossZones ? "lowest-slots-zones" : "lowest-slots";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (!job.Interruptible)
        {
            return new LowestWindowPolicy(AcrossZones).Place(job, forecasts);
        }

        (string Zone, InterruptiblePlan Plan)? best = null;
        foreach (var zone in AcrossZones ? job.Zones : [job.HomeZone])
        {
            if (forecasts.ForecastAt(zone, job.Submit) is { } forecast
                && InterruptiblePlanner.FindBest(forecast, job.Submit, job.Deadline, job.Duration, MinimumChunk) is { } plan
                && (best is null || plan.MeanIntensityGramsPerKwh < best.Value.Plan.MeanIntensityGramsPerKwh - Tolerance))
            {
                best = (zone, plan);
            }
        }

        if (best is not { } chosen)
        {
            return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
        }

        // The planner works in whole steps; the job stops once its own run is done.
        var chunks = new List<RunChunk>(chosen.Plan.Chunks.Count);
        var left = job.Duration;
        foreach (var chunk in chosen.Plan.Chunks)
        {
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var length = chunk.Length < left ? chunk.Length : left;
            chunks.Add(new RunChunk(chunk.Start, chunk.Start + length));
            left -= length;
        }

        return new JobRun(chosen.Zone, chunks);
    }
}
