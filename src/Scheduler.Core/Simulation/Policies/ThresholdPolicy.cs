using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation.Policies;

/// <summary>
/// Runs while the forecast is at or below a percentile of the coming day's forecast (as seen at
/// submission), suspending an interruptible job above it, and waiting for the first step below it
/// otherwise; deadline-safe: once the time left to the deadline is only the work left, the job runs
/// through (threshold-based suspend and resume as in Ecovisor, Souza et al., ASPLOS 2023, with the
/// threshold taken relative to the coming day so that it adapts to each grid and season).
/// </summary>
/// <param name="Percentile">The threshold's percentile of the coming 24 h, 0..100.</param>
public sealed record ThresholdPolicy(double Percentile = 30) : IPlacementPolicy
{
    /// <inheritdoc />
    public string Name => "threshold";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (forecasts.ForecastAt(job.HomeZone, job.Submit) is not { } forecast || job.Submit < forecast.Start)
        {
            return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
        }

        var step = forecast.Step;
        var first = (int)Math.Ceiling((job.Submit - forecast.Start).Ticks / (double)step.Ticks);
        var day = Math.Min(forecast.Count, first + (int)Math.Ceiling(TimeSpan.FromDays(1).Ticks / (double)step.Ticks));
        if (first >= day)
        {
            return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
        }

        var coming = forecast.Values[first..day].ToArray();
        Array.Sort(coming);
        var threshold = coming[Math.Clamp((int)Math.Ceiling(Percentile / 100 * coming.Length) - 1, 0, coming.Length - 1)];
        if (!job.Interruptible)
        {
            // The first step at or below the threshold in which the whole run still fits, else the latest safe start.
            var latestStart = job.Deadline - job.Duration;
            for (var i = (int)((job.Submit - forecast.Start).Ticks / step.Ticks); i < forecast.Count; i++)
            {
                var at = forecast.Start + (step * i);
                var start = at < job.Submit ? job.Submit : at;
                if (start > latestStart)
                {
                    break;
                }

                if (forecast[i] <= threshold)
                {
                    return JobRun.Whole(job.HomeZone, start, job.Duration);
                }
            }

            return JobRun.Whole(job.HomeZone, latestStart > job.Submit ? latestStart : job.Submit, job.Duration);
        }

        var chunks = new List<RunChunk>();
        var left = job.Duration;
        var time = job.Submit;
        while (left > TimeSpan.Zero)
        {
            var index = (int)((time - forecast.Start).Ticks / step.Ticks);

            // Deadline-safe: with only the work left before the deadline, or no forecast, run to the end.
            if (job.Deadline - time <= left || index >= forecast.Count)
            {
                chunks.Add(new RunChunk(time, time + left));
                break;
            }

            var stepEnd = forecast.Start + (step * (index + 1));
            if (forecast[index] <= threshold)
            {
                var run = stepEnd - time < left ? stepEnd - time : left;
                chunks.Add(new RunChunk(time, time + run));
                left -= run;
            }

            // Never wait past the point from which the rest must run without a break.
            var lastSafe = job.Deadline - left;
            time = stepEnd > lastSafe ? lastSafe : stepEnd;
        }

        return new JobRun(job.HomeZone, RunChunks.Merge(chunks));
    }
}
