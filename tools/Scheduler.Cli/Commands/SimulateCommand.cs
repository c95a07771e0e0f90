using System.Globalization;
using Scheduler.Cli.Simulation;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Cli.Commands;

/// <summary>
/// <c>carbon simulate</c>: replays a trace of jobs through one or more placement policies on the
/// actual carbon intensity of one or more zones and reports the emissions against running every job
/// at its nominal start in its home zone, with the delay and missed deadlines that cost.
/// </summary>
internal static class SimulateCommand
{
    public const string Usage =
        "carbon simulate --carbon [ZONE=]FILE [--carbon [ZONE=]FILE ...] --policy NAME[,NAME...]|all\n" +
        "                (--jobs FILE [--power-watts 1000]\n" +
        "                 | --trace FILE --trace-start T [--trace-units seconds|minutes|hours] [--max-delay 24h]\n" +
        "                   [--watts-per-cpu 10] [--trace-zones Z1,Z2] [--interruptible true|false])\n" +
        "                [--forecast-error F [--seed 1] | --forecasts [ZONE=]FILE ...]\n" +
        "                [--max-jobs N] [--max-gpus N] [--min-chunk 30m] [--format table|json] [--outcomes FILE]\n" +
        "  jobs CSV: " + JobsCsv.Columns + "\n" +
        "  trace CSV (GAIA): " + GaiaTrace.Columns + "; forecasts CSV: " + ForecastIssuesCsv.Columns + "\n" +
        "  Without --forecasts or --forecast-error, forecasts are perfect.";

    private static readonly string[] Known =
    [
        "carbon", "jobs", "trace", "trace-start", "trace-units", "max-delay", "watts-per-cpu", "trace-zones", "interruptible",
        "policy", "forecast-error", "seed", "forecasts", "max-jobs", "max-gpus", "min-chunk", "power-watts", "format", "outcomes",
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var options = CommandArguments.Parse(args, Known);
        var format = options.Optional("format") ?? "table";
        if (format is not ("json" or "table"))
        {
            throw new UsageException($"--format '{format}' must be json or table");
        }

        var minimumChunk = TimeArguments.Duration("min-chunk", options.Optional("min-chunk") ?? "30m");
        var policies = Policies(options.All("policy"), minimumChunk);
        var capacity = Capacity(options);
        var carbon = CarbonFiles.Read(options.All("carbon"));
        var jobs = Jobs(options, carbon);
        var forecasts = SimulationForecasts.Create(options.Optional("forecast-error"), options.Optional("seed"), options.All("forecasts"), carbon);
        if (capacity is not null && jobs.Find(j => !capacity.Admits(j.Gpus)) is { } tooBig)
        {
            throw new UsageException($"job {tooBig.Id} needs {tooBig.Gpus} GPUs, more than --max-gpus {capacity.MaxGpus}; it could never run");
        }

        // Policies are independent and the forecasts read-only, so they run side by side; the order stays the one asked for.
        var reports = new SimulationReport[policies.Count];
        try
        {
            Parallel.For(0, policies.Count, i => reports[i] = Simulator.Run(jobs, policies[i], carbon.ByZone, forecasts.Source, capacity));
        }
        catch (AggregateException e) when (e.InnerException is ArgumentException refused)
        {
            // The simulator refuses a job the capacity can never hold; checked above, but its word is final.
            throw new UsageException(refused.Message);
        }

        // The file first, so a path that cannot be written fails before anything is printed.
        if (options.Optional("outcomes") is { } outcomes)
        {
            WriteOutcomes(outcomes, reports);
        }

        var setup = new SimulationSetup(carbon.Zones, forecasts.Description, capacity, jobs.Count);
        if (format == "json")
        {
            SimulationOutput.WriteJson(stdout, reports, setup);
        }
        else
        {
            SimulationOutput.WriteTable(stdout, reports, setup);
        }

        SimulationOutput.WriteUncovered(stderr, reports, setup);

        return 0;
    }

    private static List<IPlacementPolicy> Policies(IReadOnlyList<string> arguments, TimeSpan minimumChunk)
    {
        if (arguments.Count == 0)
        {
            throw new UsageException($"--policy is required: one or more of {string.Join(", ", PolicyCatalog.Names)}, separated by commas, or all");
        }

        var names = new List<string>();
        foreach (var name in arguments.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            foreach (var each in name == "all" ? PolicyCatalog.Names : [name])
            {
                if (!names.Contains(each))
                {
                    names.Add(each);
                }
            }
        }

        return names.ConvertAll(name => PolicyCatalog.Create(name, minimumChunk)
            ?? throw new UsageException($"--policy: unknown policy '{name}'; known: {string.Join(", ", PolicyCatalog.Names)}, or all"));
    }

    private static ClusterCapacity? Capacity(CommandArguments options)
    {
        var maxJobs = Count(options, "max-jobs", "jobs");
        var maxGpus = Count(options, "max-gpus", "GPUs");
        return maxJobs is null && maxGpus is null ? null : new ClusterCapacity(maxJobs, maxGpus);
    }

    private static int? Count(CommandArguments options, string option, string what) =>
        options.Optional(option) is { } text ? NumberArguments.Count(option, text, what) : null;

    private static List<SimulationJob> Jobs(CommandArguments options, CarbonFiles carbon)
    {
        var jobsFile = options.Optional("jobs");
        var traceFile = options.Optional("trace");
        if ((jobsFile is null) == (traceFile is null))
        {
            throw new UsageException(jobsFile is null
                ? "--jobs FILE (jobs CSV) or --trace FILE (GAIA trace) is required"
                : "--jobs and --trace exclude each other: give one trace");
        }

        if (jobsFile is not null)
        {
            if (TraceOptions.Names.FirstOrDefault(options.Has) is { } traceOption)
            {
                throw new UsageException($"--{traceOption} applies only with --trace");
            }

            var watts = options.Optional("power-watts") is { } power ? NumberArguments.Positive("power-watts", power, "watts") : 1000;
            using var reader = InputFile.OpenText("jobs", jobsFile);
            return JobsCsv.Read(reader, jobsFile, carbon.Zones, watts);
        }

        if (options.Has("power-watts"))
        {
            throw new UsageException("--power-watts applies only with --jobs; a trace job draws its cpus x --watts-per-cpu");
        }

        return TraceOptions.Read(options, carbon);
    }

    private static void WriteOutcomes(string path, IReadOnlyList<SimulationReport> reports)
    {
        try
        {
            using var writer = new StreamWriter(path, append: false);
            OutcomesCsv.Write(writer, reports);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--outcomes: cannot write '{path}': {e.Message}");
        }
    }
}
