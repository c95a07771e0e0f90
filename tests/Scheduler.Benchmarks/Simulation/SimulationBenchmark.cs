using System.Globalization;
using Scheduler.Benchmarks.KeplerRefresh;
using Scheduler.Cli;
using Scheduler.Cli.Simulation;
using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;
using Scheduler.Tests.Shared;

namespace Scheduler.Benchmarks.Simulation;

/// <summary>
/// <c>simulate</c>: the 100,000-job Alibaba PAI trace (GAIA's <c>pai-100k.csv</c>, a year in hours)
/// over a year of 30-minute intensity of four grids, through every policy, as <c>carbon simulate</c>
/// runs it: each run's wall and CPU time, allocations and the process' peak memory.
/// </summary>
internal static class SimulationBenchmark
{
    public const string Command = "simulate";

    private static readonly (string Zone, string File)[] Grids =
    [
        ("DE", "ger_2025_ci.csv"), ("GB", "gb_2025_ci.csv"), ("FR", "fr_2025_ci.csv"), ("US-CAL-CISO", "cal_2025_ci.csv"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var runs = args is ["--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 3;

        var ((actuals, trace), load) = await StepMeter.MeasureAsync(() => Task.FromResult(Load()), meter: null, prometheusPid: null);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {trace.Count:N0} jobs and {actuals.Count} grids of {actuals[0].Actual.Count:N0} steps in {load.Wall.TotalSeconds:0.00} s"));
        var byZone = actuals.ToDictionary(a => a.Zone, a => a.Actual, StringComparer.Ordinal);
        var perfect = new PerfectForecasts(byZone);

        var cases = PolicyCatalog.Names
            .Select(name => (Name: name, Policy: PolicyCatalog.Create(name, TimeSpan.FromHours(1))!, Forecasts: (IForecastSource)perfect, Capacity: (ClusterCapacity?)null))
            .Append(("lowest-window, 5 % noise", new LowestWindowPolicy(), new NoisyForecasts(actuals, 0.05, seed: 1), null))
            .Append(("lowest-window, capacity 552 CPUs (the baseline's peak)", new LowestWindowPolicy(), perfect, new ClusterCapacity(MaxJobs: null, MaxGpus: 552)));

        Console.WriteLine("| case | jobs | saved | wall (median) | wall (max) | CPU | allocated | peak managed heap | peak working set |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, policy, forecasts, capacity) in cases)
        {
            var samples = new List<StepSample>();
            SimulationReport? report = null;
            for (var i = 0; i < runs; i++)
            {
                (report, var sample) = await StepMeter.MeasureAsync(() => Task.FromResult(Simulator.Run(trace, policy, byZone, forecasts, capacity)), meter: null, prometheusPid: null);
                samples.Add(sample);
            }

            var walls = samples.Select(s => s.Wall.TotalSeconds).Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {report!.Outcomes.Count:N0} | {report.SavedPercent:0.0} % | {walls[walls.Length / 2]:0.00} s | {walls[^1]:0.00} s | {samples.Average(s => s.Cpu.TotalSeconds):0.00} s | {Mb(samples.Average(s => (double)s.AllocatedBytes))} | {Mb(samples.Max(s => (double)s.HeapPeak))} | {Mb(samples.Max(s => (double)s.WorkingSetPeak))} |"));
        }

        return 0;
    }

    // As carbon simulate reads them: the intensity CSVs and the trace, every job free to run in any of the grids.
    private static (List<(string Zone, IntensitySeries Actual)> Actuals, List<SimulationJob> Trace) Load()
    {
        var actuals = Grids.Select(g => (g.Zone, CarbonCsvFile.Read(RepositoryPaths.SharedData("carbon-2025", g.File)))).ToList();
        var settings = new GaiaTraceSettings(
            Start: actuals[0].Item2.Start,
            Unit: TimeSpan.FromHours(1),
            MaxDelay: TimeSpan.FromHours(24),
            WattsPerCpu: 10,
            Zones: [.. Grids.Select(g => g.Zone)],
            Interruptible: true);
        using var reader = InputFile.OpenText("trace", RepositoryPaths.SharedData("job-traces", "pai-100k.csv"));
        return (actuals, GaiaTrace.Read(reader, "pai-100k.csv", settings));
    }

    private static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0} MiB");
}
