using System.Globalization;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// Imports a GAIA cluster trace (Hanafy et al., ASPLOS 2024; e.g. the Alibaba PAI traces): CSV
/// <c>arrival_time,length,cpus</c>, times as numbers of <see cref="GaiaTraceSettings.Unit"/> after
/// <see cref="GaiaTraceSettings.Start"/>. The trace carries no deadline, power or zones, so those come
/// from the settings.
/// </summary>
internal static class GaiaTrace
{
    public const string Columns = "arrival_time,length,cpus";

    /// <summary>Reads every job; job <c>n</c> is the trace's n-th row.</summary>
    /// <exception cref="UsageException">A missing column or a bad value; the message names the line and column.</exception>
    public static List<SimulationJob> Read(TextReader reader, string source, GaiaTraceSettings settings)
    {
        var rows = new CsvRows(reader, source, Columns);
        var arrival = rows.RequiredColumn("arrival_time", Columns);
        var length = rows.RequiredColumn("length", Columns);
        var cpus = rows.RequiredColumn("cpus", Columns);
        var jobs = new List<SimulationJob>();
        while (rows.Next())
        {
            var submit = settings.Start + Span(rows, arrival, settings.Unit, allowZero: true);
            var duration = Span(rows, length, settings.Unit, allowZero: false);
            var cores = rows.Number(cpus);
            if (cores <= 0 || cores > int.MaxValue)
            {
                throw rows.Error(cpus, "is not a positive number of CPUs");
            }

            jobs.Add(new SimulationJob(
                (jobs.Count + 1).ToString(CultureInfo.InvariantCulture),
                submit,
                duration,
                submit + duration + settings.MaxDelay,
                cores * settings.WattsPerCpu,
                settings.Interruptible,
                settings.Zones)
            {
                // The capacity counts the trace's CPUs as its units, a fraction of a CPU holding a whole one.
                Gpus = Math.Max(1, (int)Math.Ceiling(cores)),
            });
        }

        return jobs;
    }

    // A number of the trace's units as a time span, to the nearest second: the traces' fractions of an hour are not finer than that.
    private static TimeSpan Span(CsvRows rows, int column, TimeSpan unit, bool allowZero)
    {
        var value = rows.Number(column);
        var seconds = Math.Round(value * unit.TotalSeconds);
        if (seconds < 0 || (seconds == 0 && !allowZero) || seconds > TimeSpan.FromDays(365 * 100).TotalSeconds)
        {
            throw rows.Error(column, allowZero ? "is not a time of at least 0" : "is not a length of at least one second");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
