using System.Globalization;
using Scheduler.Cli.Evaluation;
using Scheduler.Cli.Simulation;

namespace Scheduler.Cli.Commands;

/// <summary>
/// <c>carbon evaluate</c>: runs the scenarios of <c>docs/evaluation.md</c> on the given grids and
/// job trace and writes their tables (<c>results.md</c>) and figures (PNG) into a folder.
/// </summary>
internal static class EvaluateCommand
{
    public const string Usage =
        "carbon evaluate --carbon [ZONE=]FILE [--carbon ...] --trace FILE --trace-start T [--trace-units seconds|minutes|hours]\n" +
        "                [--max-delay 24h] [--watts-per-cpu 10] [--forecast-error 0.05] [--seed 1] [--training-jobs 4] --out DIR\n" +
        "  Runs the nightly-job, training-job and trace scenarios on every grid with perfect and noisy forecasts;\n" +
        "  writes DIR/results.md and DIR/*.png.";

    // The suite decides the trace's zones (each grid as home in turn) and makes its jobs interruptible.
    private static readonly string[] Known = ["carbon", "trace", "trace-start", "trace-units", "max-delay", "watts-per-cpu", "forecast-error", "seed", "training-jobs", "out"];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var options = CommandArguments.Parse(args, Known);
        var carbon = CarbonFiles.Read(options.All("carbon"));
        var output = options.Required("out");
        var settings = new EvaluationSettings(
            ForecastError: options.Optional("forecast-error") is { } error ? NumberArguments.NonNegative("forecast-error", error, "0.05") : 0.05,
            Seed: options.Optional("seed") is { } seed ? NumberArguments.Integer("seed", seed) : 1,
            TrainingJobsPerWorkingDay: options.Optional("training-jobs") is { } perDay ? NumberArguments.Count("training-jobs", perDay, "jobs") : 4);
        var trace = TraceOptions.Read(options, carbon);
        Directory.CreateDirectory(output);

        var suite = new EvaluationSuite(carbon.Ordered, settings);
        var zones = carbon.Zones;
        stdout.WriteLine("nightly jobs ...");
        var nightly = suite.Nightly();
        stdout.WriteLine("training jobs ...");
        var training = suite.Training();
        stdout.WriteLine($"trace of {trace.Count} jobs ...");
        var traced = suite.Trace(trace);
        var capacity = suite.TraceWithCapacity(trace, zones[0]);

        var noisy = EvaluationSuite.NoiseLabel(settings.ForecastError);
        EvaluationCharts.DailyProfiles(carbon.Ordered, Path.Combine(output, "profiles.png"));
        EvaluationCharts.Nightly(nightly, zones, Path.Combine(output, "nightly.png"));
        EvaluationCharts.GroupedBars(
            "Training jobs due the next working morning",
            zones,
            [
                Series(training, "one piece", "lowest-window", EvaluationSuite.Perfect, "one piece, lowest-window, perfect (optimum)"),
                Series(training, "one piece", "lowest-window", noisy, $"one piece, lowest-window, {noisy}"),
                Series(training, "one piece", "carbon-time", noisy, $"one piece, carbon-time, {noisy}"),
                Series(training, "interruptible", "optimum", EvaluationSuite.Perfect, "interruptible, optimum"),
                Series(training, "interruptible", "lowest-slots (1 h)", noisy, $"interruptible, lowest-slots (1 h), {noisy}"),
                Series(training, "interruptible", "threshold", noisy, $"interruptible, threshold, {noisy}"),
            ],
            Path.Combine(output, "training.png"));
        EvaluationCharts.GroupedBars(
            $"Job trace, every policy, {noisy}",
            zones,
            [.. traced.Where(r => r.Forecast == noisy).Select(r => r.Label).Distinct().Select(policy => Series(traced, "unbounded", policy, noisy, policy))],
            Path.Combine(output, "trace.png"));

        using (var writer = new StreamWriter(Path.Combine(output, "results.md")))
        {
            WriteResults(writer, settings, zones, trace.Count, nightly, training, traced, capacity);
        }

        stdout.WriteLine($"wrote {Path.Combine(output, "results.md")} and 4 figures");
        return 0;
    }

    private static (string Name, Func<string, double> Value) Series(IReadOnlyList<EvaluationResult> results, string @case, string label, string forecast, string name) =>
        (name, zone => results.Single(r => r.Zone == zone && r.Case == @case && r.Label == label && r.Forecast == forecast).Figures.SavedPercent);

    private static void WriteResults(
        TextWriter writer,
        EvaluationSettings settings,
        IReadOnlyList<string> zones,
        int traceJobs,
        IReadOnlyList<EvaluationResult> nightly,
        IReadOnlyList<EvaluationResult> training,
        IReadOnlyList<EvaluationResult> traced,
        IReadOnlyList<EvaluationResult> capacity)
    {
        writer.WriteLine("# Evaluation results");
        writer.WriteLine();
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Generated by `carbon evaluate` (forecast error {settings.ForecastError}, seed {settings.Seed}, {settings.TrainingJobsPerWorkingDay} training jobs per working day). Savings are against running each job at its nominal start; emissions are counted on the actual intensity. See `../evaluation.md` for the method."));
        writer.WriteLine();
        writer.WriteLine("## (a) Nightly 30-minute job at 01:00, free to move W hours either way (lowest-window)");
        writer.WriteLine();
        EvaluationTables.Nightly(writer, nightly, zones);
        writer.WriteLine("## (b) Training jobs due the next working morning");
        writer.WriteLine();
        EvaluationTables.Summary(writer, training, zones);
        EvaluationTables.Detail(writer, training);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## (c) Job trace ({traceJobs} jobs), every policy"));
        writer.WriteLine();
        EvaluationTables.Summary(writer, traced, zones);
        EvaluationTables.Detail(writer, traced);
        writer.WriteLine($"## (c') The trace on {zones[0]} with a cluster the size of the baseline's peak");
        writer.WriteLine();
        EvaluationTables.Detail(writer, capacity);
    }
}
