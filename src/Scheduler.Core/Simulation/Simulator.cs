using Scheduler.Core.Intensity;

namespace Scheduler.Core.Simulation;

/// <summary>
/// Replays jobs through a policy. Decisions use the forecasts the policy is given; emissions are
/// always counted on the actual intensity: watts x the actual mean over each stretch x hours.
/// </summary>
public static class Simulator
{
    /// <summary>Runs <paramref name="jobs"/> through <paramref name="policy"/>.</summary>
    /// <param name="jobs">The trace.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="actuals">The actual intensity of every zone.</param>
    /// <param name="forecasts">What the policy may know when it decides.</param>
    public static SimulationReport Run(
        IReadOnlyList<SimulationJob> jobs,
        IPlacementPolicy policy,
        IReadOnlyDictionary<string, IntensitySeries> actuals,
        IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentNullException.ThrowIfNull(forecasts);
        var outcomes = new List<JobOutcome>(jobs.Count);
        var uncovered = 0;
        foreach (var job in jobs)
        {
            var run = policy.Place(job, forecasts);
            var baseline = Grams(actuals, JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration), job.PowerWatts);
            var placed = Grams(actuals, run, job.PowerWatts);
            if (baseline is null || placed is null)
            {
                uncovered++;
                continue;
            }

            var baselineEnd = job.BaselineStart + job.Duration;
            var delay = run.End > baselineEnd ? run.End - baselineEnd : TimeSpan.Zero;
            outcomes.Add(new JobOutcome(job, run, baseline.Value, placed.Value, delay, run.End > job.Deadline));
        }

        return new SimulationReport(policy.Name, outcomes, uncovered);
    }

    /// <summary>The emissions of <paramref name="run"/> at <paramref name="watts"/> on the actual intensity, or <c>null</c> where it is not known.</summary>
    public static double? Grams(IReadOnlyDictionary<string, IntensitySeries> actuals, JobRun run, double watts)
    {
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentNullException.ThrowIfNull(run);
        if (!actuals.TryGetValue(run.Zone, out var actual))
        {
            return null;
        }

        var grams = 0.0;
        foreach (var chunk in run.Chunks)
        {
            if (actual.MeanOver(chunk.Start, chunk.End) is not { } mean)
            {
                return null;
            }

            grams += watts / 1000 * mean * chunk.Length.TotalHours;
        }

        return grams;
    }
}
