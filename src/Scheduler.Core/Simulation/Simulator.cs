using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation;

/// <summary>
/// Replays jobs through a policy. Decisions use the forecasts the policy is given; emissions are
/// always counted on the actual intensity: watts x the actual mean over each stretch x hours.
/// </summary>
/// <remarks>
/// A job is planned at its submission and planned again whenever a newer forecast of one of its
/// zones is issued before it has finished (rolling re-planning): a job that has not started may move
/// anywhere, an interruptible one that has started keeps what it ran and its zone, and a job running
/// in one piece is left alone. With a capacity, jobs take room in submission order, and the baseline
/// runs through the same capacity.
/// </remarks>
public static class Simulator
{
    /// <summary>Runs <paramref name="jobs"/> through <paramref name="policy"/>.</summary>
    /// <param name="jobs">The trace.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="actuals">The actual intensity of every zone.</param>
    /// <param name="forecasts">What the policy may know when it decides.</param>
    /// <param name="capacity">The room of each zone's cluster, or <c>null</c> for unbounded clusters.</param>
    /// <exception cref="ArgumentException">A job needs more GPUs than the capacity has.</exception>
    public static SimulationReport Run(
        IReadOnlyList<SimulationJob> jobs,
        IPlacementPolicy policy,
        IReadOnlyDictionary<string, IntensitySeries> actuals,
        IForecastSource forecasts,
        ClusterCapacity? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentNullException.ThrowIfNull(forecasts);
        var ordered = capacity is null ? jobs : [.. jobs.OrderBy(j => j.Submit)];
        var (placed, queued) = capacity is null ? (null, null) : Timelines(ordered, capacity);
        var outcomes = new List<JobOutcome>(jobs.Count);
        var uncovered = 0;
        foreach (var job in ordered)
        {
            var run = Plan(job, policy, forecasts);
            var baselineRun = JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
            if (placed is not null && queued is not null)
            {
                run = placed.Admit(job, run);
                baselineRun = queued.Admit(job, baselineRun);
            }

            var baseline = Grams(actuals, baselineRun, job.PowerWatts);
            var policyGrams = Grams(actuals, run, job.PowerWatts);
            if (baseline is null || policyGrams is null)
            {
                uncovered++;
                continue;
            }

            var nominalEnd = job.BaselineStart + job.Duration;
            var delay = run.End > nominalEnd ? run.End - nominalEnd : TimeSpan.Zero;
            outcomes.Add(new JobOutcome(job, run, baseline.Value, policyGrams.Value, delay, run.End > job.Deadline));
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

    // One record for the policy's runs and one for the baseline's, from the earliest moment any run may start.
    private static (CapacityTimeline Placed, CapacityTimeline Queued) Timelines(IReadOnlyList<SimulationJob> jobs, ClusterCapacity capacity)
    {
        var origin = DateTimeOffset.MaxValue;
        foreach (var job in jobs)
        {
            if (!capacity.Admits(job.Gpus))
            {
                throw new ArgumentException($"Job {job.Id} needs {job.Gpus} GPUs, more than the capacity of {capacity.MaxGpus}.", nameof(jobs));
            }

            var earliest = job.Submit < job.BaselineStart ? job.Submit : job.BaselineStart;
            origin = earliest < origin ? earliest : origin;
        }

        return (new CapacityTimeline(capacity, origin), new CapacityTimeline(capacity, origin));
    }

    // The policy's run as decided at submission, then again at each newer forecast until the job has run.
    private static JobRun Plan(SimulationJob job, IPlacementPolicy policy, IForecastSource forecasts)
    {
        var run = policy.Place(job, forecasts);
        var decided = job.Submit;
        while (NextIssue(job, run, forecasts, decided) is { } issued)
        {
            // Whatever ran before the new forecast stays; the rest is planned from it.
            var done = new List<RunChunk>(run.Chunks.Count);
            var ran = TimeSpan.Zero;
            foreach (var chunk in run.Chunks)
            {
                if (chunk.Start >= issued)
                {
                    break;
                }

                var end = chunk.End < issued ? chunk.End : issued;
                done.Add(new RunChunk(chunk.Start, end));
                ran += end - chunk.Start;
            }

            var rest = job with
            {
                Submit = issued,
                NominalStart = issued,
                Duration = job.Duration - ran,
                Zones = done.Count > 0 ? [run.Zone] : job.Zones,
            };
            var next = policy.Place(rest, forecasts);
            run = new JobRun(next.Zone, RunChunks.Merge([.. done, .. next.Chunks]));
            decided = issued;
        }

        return run;
    }

    // The next forecast of one of the job's zones issued while the plan can still change, if any.
    private static DateTimeOffset? NextIssue(SimulationJob job, JobRun run, IForecastSource forecasts, DateTimeOffset after)
    {
        var changeable = job.Interruptible ? run.End : run.Start;
        DateTimeOffset? next = null;
        foreach (var zone in job.Zones)
        {
            if (forecasts.NextIssueAfter(zone, after) is { } issued && issued < changeable && (next is null || issued < next))
            {
                next = issued;
            }
        }

        return next;
    }
}
