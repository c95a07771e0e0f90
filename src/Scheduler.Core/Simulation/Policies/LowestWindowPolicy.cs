using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation.Policies;

/// <summary>
/// The cleanest non-interrupting window between submission and deadline in the forecast, the rule of
/// the Carbon Aware SDK's best-window search and of "Let's wait awhile" (Wiesner et al., Middleware
/// 2021). With <see cref="AcrossZones"/>, the cleanest zone and window among the job's zones
/// (spatio-temporal shifting, as studied by Sukprasert et al., EuroSys 2024). A job that fits no forecast runs as the baseline does.
/// </summary>
/// <param name="AcrossZones">Whether the job may move to another of its zones.</param>
public sealed record LowestWindowPolicy(bool AcrossZones = false) : IPlacementPolicy
{
    /// <inheritdoc />
    public string Name => AcrossZones ? "lowest-window-zones" : "lowest-window";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(forecasts);
        var zones = AcrossZones ? job.Zones : [job.HomeZone];
        var candidates = new List<(string Zone, IntensitySeries Forecast)>(zones.Count);
        foreach (var zone in zones)
        {
            if (forecasts.ForecastAt(zone, job.Submit) is { } forecast)
            {
                candidates.Add((zone, forecast));
            }
        }

        var plan = SpatioTemporalPlanner.FindBest(candidates, job.Submit, job.Deadline, job.Duration);
        return plan is null
            ? JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration)
            : JobRun.Whole(plan.Zone, plan.Window.Start, job.Duration);
    }
}
