using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Evaluation;

/// <summary>
/// Scenario (a): one 30-minute job each night at 01:00 that may move up to W hours either way, the
/// shape of a nightly backup or report. The baseline runs it at 01:00.
/// </summary>
internal static class NightlyJobs
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(30);

    /// <summary>The jobs of every night whose whole window lies in <c>[from, to)</c>.</summary>
    /// <param name="from">The first moment covered by data.</param>
    /// <param name="to">The end of the data.</param>
    /// <param name="hoursEitherSide">W: how far the start may move earlier or later.</param>
    /// <param name="zone">The zone the jobs run in.</param>
    /// <param name="watts">Each job's power.</param>
    public static List<SimulationJob> Build(DateTimeOffset from, DateTimeOffset to, int hoursEitherSide, string zone, double watts)
    {
        var slack = TimeSpan.FromHours(hoursEitherSide);
        var jobs = new List<SimulationJob>();
        for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day < to; day = day.AddDays(1))
        {
            var nominal = day.AddHours(1);
            var submit = nominal - slack;
            var deadline = nominal + Duration + slack;
            if (submit >= from && deadline <= to)
            {
                jobs.Add(new SimulationJob($"night-{day:yyyy-MM-dd}", submit, Duration, deadline, watts, Interruptible: false, [zone]) { NominalStart = nominal });
            }
        }

        return jobs;
    }
}
