using System.Globalization;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// Reads the jobs CSV of <c>carbon simulate --jobs</c>: a header naming the columns (any order, any
/// case) <c>id,submit,duration_minutes,deadline</c> and optionally
/// <c>nominal_start,power_watts,interruptible,zones,gpus</c>; times ISO 8601, UTC when no offset.
/// </summary>
internal static class JobsCsv
{
    public const string Columns = "id,submit,duration_minutes,deadline[,nominal_start,power_watts,interruptible,zones,gpus]";

    private static readonly string[] Known = ["id", "submit", "duration_minutes", "deadline", "nominal_start", "power_watts", "interruptible", "zones", "gpus"];

    private static readonly char[] ZoneSeparators = [';', ' ', '\t'];

    /// <summary>Reads every job.</summary>
    /// <param name="reader">The file.</param>
    /// <param name="source">How errors name the file.</param>
    /// <param name="zones">The zones with carbon data; the first is the home zone of a job that names none.</param>
    /// <param name="defaultPowerWatts">The power of a job whose <c>power_watts</c> is empty.</param>
    /// <exception cref="UsageException">A missing column or a bad value; the message names the line and column.</exception>
    public static List<SimulationJob> Read(TextReader reader, string source, IReadOnlyList<string> zones, double defaultPowerWatts)
    {
        var rows = new CsvRows(reader, source, Columns);
        foreach (var name in rows.Header)
        {
            // An unknown column is most likely a misspelt optional one, whose values would otherwise be silently replaced by defaults.
            if (Array.FindIndex(Known, k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) < 0)
            {
                throw new UsageException($"{source}:1: unknown column '{name}'; the columns are {string.Join(",", Known)}");
            }
        }

        var id = rows.RequiredColumn("id", Columns);
        var submit = rows.RequiredColumn("submit", Columns);
        var duration = rows.RequiredColumn("duration_minutes", Columns);
        var deadline = rows.RequiredColumn("deadline", Columns);
        var nominal = rows.Column("nominal_start");
        var power = rows.Column("power_watts");
        var interruptible = rows.Column("interruptible");
        var zoneColumn = rows.Column("zones");
        var gpus = rows.Column("gpus");

        var known = new HashSet<string>(zones, StringComparer.Ordinal);
        IReadOnlyList<string> home = [zones[0]];

        // Most traces repeat a handful of zone lists; each is split and checked once.
        var zoneLists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [string.Empty] = home };
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var jobs = new List<SimulationJob>();
        while (rows.Next())
        {
            var jobId = rows[id];
            if (jobId.Length == 0)
            {
                throw rows.Error(id, "is empty; every job needs an id");
            }

            if (!lines.TryAdd(jobId, rows.LineNumber))
            {
                throw rows.Error(id, $"is used already on line {lines[jobId]}; ids must be unique");
            }

            var submitted = rows.Time(submit);
            var minutes = rows.Number(duration);
            if (minutes <= 0 || minutes > TimeSpan.MaxValue.TotalMinutes / 2)
            {
                throw rows.Error(duration, "is not a positive number of minutes");
            }

            var length = TimeSpan.FromMinutes(minutes);
            var due = rows.Time(deadline);
            if (due < submitted + length)
            {
                throw rows.Error(deadline, $"is before submit + duration ({submitted + length:yyyy-MM-ddTHH:mm:ssZ}); no run could meet it");
            }

            DateTimeOffset? nominalStart = rows[nominal].Length == 0 ? null : rows.Time(nominal);
            if (nominalStart < submitted)
            {
                throw rows.Error(nominal, $"is before submit ({submitted:yyyy-MM-ddTHH:mm:ssZ}); a job cannot start before it exists");
            }

            var watts = defaultPowerWatts;
            if (rows[power].Length > 0 && ((watts = rows.Number(power)) <= 0))
            {
                throw rows.Error(power, "is not a positive number of watts");
            }

            var units = 1;
            if (rows[gpus].Length > 0 && (!int.TryParse(rows[gpus], NumberStyles.None, CultureInfo.InvariantCulture, out units) || units < 1))
            {
                throw rows.Error(gpus, "is not a whole number of GPUs of at least 1");
            }

            jobs.Add(new SimulationJob(jobId, submitted, length, due, watts, Flag(rows, interruptible), Zones(rows, zoneColumn, zoneLists, known, zones))
            {
                NominalStart = nominalStart,
                Gpus = units,
            });
        }

        return jobs;
    }

    private static bool Flag(CsvRows rows, int column) => rows[column] switch
    {
        "" or "0" => false,
        "1" => true,
        var text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        var text when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw rows.Error(column, "is not true, false, 1 or 0"),
    };

    private static IReadOnlyList<string> Zones(CsvRows rows, int column, Dictionary<string, IReadOnlyList<string>> lists, HashSet<string> known, IReadOnlyList<string> zones)
    {
        var text = rows[column];
        if (lists.TryGetValue(text, out var list))
        {
            return list;
        }

        var parsed = new List<string>();
        foreach (var zone in text.Split(ZoneSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!known.Contains(zone))
            {
                throw rows.Error(column, $"names zone {zone}, which has no --carbon file; known zones: {string.Join(", ", zones)}");
            }

            if (!parsed.Contains(zone))
            {
                parsed.Add(zone);
            }
        }

        list = parsed.Count > 0 ? parsed : lists[string.Empty];
        lists[text] = list;
        return list;
    }
}
