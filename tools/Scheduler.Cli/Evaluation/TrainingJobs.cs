using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Evaluation;

/// <summary>
/// Scenario (b): training jobs of 4 to 90 hours (log-uniform, so short runs are as common as in
/// practice) submitted at random times in working hours (Monday to Friday, 09:00-17:00), each due at
/// 09:00 on the first working day after it could have finished had it started at once: the results
/// are wanted for the next working morning.
/// </summary>
internal static class TrainingJobs
{
    private const double ShortestHours = 4;
    private const double LongestHours = 90;

    /// <summary>The jobs submitted in <c>[from, to)</c> whose deadline is within the data.</summary>
    /// <param name="from">The first moment covered by data.</param>
    /// <param name="to">The end of the data.</param>
    /// <param name="perWorkingDay">Jobs submitted each working day.</param>
    /// <param name="seed">The seed of the arrival times and lengths, so the trace is repeatable.</param>
    /// <param name="zone">The zone the jobs run in.</param>
    /// <param name="watts">Each job's power.</param>
    public static List<SimulationJob> Build(DateTimeOffset from, DateTimeOffset to, int perWorkingDay, int seed, string zone, double watts)
    {
        var random = new Random(seed);
        var jobs = new List<SimulationJob>();
        for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day < to; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            for (var i = 0; i < perWorkingDay; i++)
            {
                var submit = day.AddHours(9).AddMinutes(Math.Floor(random.NextDouble() * 8 * 60));
                var hours = Math.Exp(Math.Log(ShortestHours) + (random.NextDouble() * (Math.Log(LongestHours) - Math.Log(ShortestHours))));
                var duration = TimeSpan.FromMinutes(Math.Round(hours * 60));
                var deadline = NextWorkingMorning(submit + duration);
                if (submit >= from && deadline <= to)
                {
                    jobs.Add(new SimulationJob($"train-{day:yyyy-MM-dd}-{i}", submit, duration, deadline, watts, Interruptible: false, [zone]));
                }
            }
        }

        return jobs;
    }

    /// <summary>09:00 on the first working day after <paramref name="time"/>.</summary>
    public static DateTimeOffset NextWorkingMorning(DateTimeOffset time)
    {
        var morning = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero).AddHours(9);
        if (morning <= time)
        {
            morning = morning.AddDays(1);
        }

        while (!IsWorkingDay(morning))
        {
            morning = morning.AddDays(1);
        }

        return morning;
    }

    private static bool IsWorkingDay(DateTimeOffset day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
