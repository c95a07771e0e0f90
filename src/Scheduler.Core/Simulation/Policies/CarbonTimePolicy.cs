using Scheduler.Core.Planning;

namespace Scheduler.Core.Simulation.Policies;

/// <summary>
/// Trades carbon against delay: among the starts the forecast allows before the deadline, the one
/// that saves the most carbon per hour of delay against starting at submission (GAIA's Carbon-Time
/// policy, Hanafy et al., ASPLOS 2024); at submission when no later start saves anything.
/// </summary>
public sealed record CarbonTimePolicy : IPlacementPolicy
{
    /// <inheritdoc />
    public string Name => "carbon-time";

    /// <inheritdoc />
    public JobRun Place(SimulationJob job, IForecastSource forecasts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (forecasts.ForecastAt(job.HomeZone, job.Submit) is not { } forecast
            || forecast.MeanOver(job.Submit, job.Submit + job.Duration) is not { } now
            || job.Submit < forecast.Start || job.Submit + job.Duration > forecast.End)
        {
            return JobRun.Whole(job.HomeZone, job.BaselineStart, job.Duration);
        }

        var best = job.Submit;
        var bestRate = 0.0;
        var latest = Min(job.Deadline, forecast.End) - job.Duration;

        // Starts on the forecast's step boundaries, where the window's mean changes slope.
        var step = forecast.Step;
        var index = (long)Math.Ceiling((job.Submit - forecast.Start).Ticks / (double)step.Ticks);
        for (var start = forecast.Start + TimeSpan.FromTicks(step.Ticks * index); start <= latest; start += step)
        {
            if (start <= job.Submit || forecast.MeanOver(start, start + job.Duration) is not { } mean)
            {
                continue;
            }

            var rate = (now - mean) / (start - job.Submit).TotalHours;
            if (rate > bestRate)
            {
                (best, bestRate) = (start, rate);
            }
        }

        return JobRun.Whole(job.HomeZone, best, job.Duration);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
