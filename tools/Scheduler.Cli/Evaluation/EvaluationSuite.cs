using System.Globalization;
using Scheduler.Core.Intensity;
using Scheduler.Core.Simulation;
using Scheduler.Core.Simulation.Policies;

namespace Scheduler.Cli.Evaluation;

/// <summary>
/// The scenarios of <c>docs/evaluation.md</c> run through the simulator on each grid's actual
/// intensity, with perfect forecasts (the upper bound) and with seeded Gaussian noise.
/// </summary>
internal sealed class EvaluationSuite
{
    public const string Perfect = "perfect";
    public const int MaxHoursEitherSide = 8;

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    private readonly IReadOnlyList<(string Zone, IntensitySeries Actual)> _grids;
    private readonly Dictionary<string, IntensitySeries> _actuals;
    private readonly (string Label, IForecastSource Source)[] _forecasts;
    private readonly EvaluationSettings _settings;

    public EvaluationSuite(IReadOnlyList<(string Zone, IntensitySeries Actual)> grids, EvaluationSettings settings)
    {
        _grids = grids;
        _settings = settings;
        _actuals = grids.ToDictionary(g => g.Zone, g => g.Actual, StringComparer.Ordinal);
        _forecasts =
        [
            (Perfect, new PerfectForecasts(_actuals)),
            (NoiseLabel(settings.ForecastError), new NoisyForecasts(grids, settings.ForecastError, settings.Seed)),
        ];
    }

    public static string NoiseLabel(double error) => string.Create(CultureInfo.InvariantCulture, $"{error * 100:0.#} % noise");

    /// <summary>(a) The nightly 30-minute job, free to move W = 0..8 hours either way.</summary>
    public IReadOnlyList<EvaluationResult> Nightly() => RunAll(
        from grid in _grids
        from hours in Enumerable.Range(0, MaxHoursEitherSide + 1)
        let jobs = NightlyJobs.Build(grid.Actual.Start, grid.Actual.End, hours, grid.Zone, _settings.Watts)
        from forecast in _forecasts
        select new Run("nightly", grid.Zone, string.Create(CultureInfo.InvariantCulture, $"W = {hours} h"), "lowest-window", forecast, jobs, new LowestWindowPolicy()));

    /// <summary>(b) Training jobs due the next working morning, run in one piece and interruptible.</summary>
    public IReadOnlyList<EvaluationResult> Training()
    {
        var oneHour = TimeSpan.FromHours(1);
        var runs = new List<Run>();
        foreach (var (zone, actual) in _grids)
        {
            var whole = TrainingJobs.Build(actual.Start, actual.End, _settings.TrainingJobsPerWorkingDay, _settings.Seed, zone, _settings.Watts);
            var interruptible = whole.Select(j => j with { Interruptible = true }).ToList();
            foreach (var forecast in _forecasts)
            {
                runs.Add(new Run("training", zone, "one piece", "lowest-window", forecast, whole, new LowestWindowPolicy()));
                runs.Add(new Run("training", zone, "one piece", "carbon-time", forecast, whole, new CarbonTimePolicy()));
                runs.Add(new Run("training", zone, "one piece", "threshold", forecast, whole, new ThresholdPolicy()));
                runs.Add(new Run("training", zone, "interruptible", "lowest-slots (1 h)", forecast, interruptible, new LowestSlotsPolicy(oneHour)));
                runs.Add(new Run("training", zone, "interruptible", "threshold", forecast, interruptible, new ThresholdPolicy()));
            }

            // With perfect knowledge, the cleanest steps with no minimum stretch are the best any schedule can do.
            runs.Add(new Run("training", zone, "interruptible", "optimum", _forecasts[0], interruptible, new LowestSlotsPolicy(Step)));
        }

        return RunAll(runs);
    }

    /// <summary>
    /// (c) A job trace (e.g. Alibaba PAI) with every policy, each grid in turn as the jobs' home and
    /// the other grids open to the spatial policy; then, with a capacity equal to the baseline's
    /// peak, what the policies cost in delay once they cannot all pile into the same hours.
    /// </summary>
    public IReadOnlyList<EvaluationResult> Trace(IReadOnlyList<SimulationJob> trace)
    {
        var runs = new List<Run>();
        foreach (var (zone, _) in _grids)
        {
            string[] zones = [zone, .. _grids.Select(g => g.Zone).Where(z => z != zone)];
            var jobs = trace.Select(j => j with { Zones = zones, Interruptible = true }).ToList();
            foreach (var name in PolicyCatalog.Names)
            {
                // The baseline ignores forecasts: once is enough.
                foreach (var forecast in name == "immediate" ? _forecasts[..1] : _forecasts)
                {
                    runs.Add(new Run("trace", zone, "unbounded", name, forecast, jobs, PolicyCatalog.Create(name, TimeSpan.FromHours(1))!));
                }
            }
        }

        return RunAll(runs);
    }

    /// <summary>The trace on one grid with the cluster sized to the baseline's peak use.</summary>
    public IReadOnlyList<EvaluationResult> TraceWithCapacity(IReadOnlyList<SimulationJob> trace, string zone)
    {
        var jobs = trace.Select(j => j with { Zones = [zone], Interruptible = true }).ToList();
        var peak = PeakGpus(Simulator.Run(jobs, new ImmediatePolicy(), _actuals, _forecasts[0].Source));
        var capacity = new ClusterCapacity(MaxJobs: null, MaxGpus: peak);
        var label = string.Create(CultureInfo.InvariantCulture, $"capacity {peak}");
        // One zone here, so the spatial variants would only repeat their temporal ones.
        var runs = PolicyCatalog.Names.Where(n => !n.EndsWith("-zones", StringComparison.Ordinal))
            .Select(name => new Run("trace", zone, label, name, _forecasts[0], jobs, PolicyCatalog.Create(name, TimeSpan.FromHours(1))!, capacity));
        return RunAll(runs);
    }

    // The most capacity units in use at once when every job runs at its nominal start.
    private static int PeakGpus(SimulationReport report)
    {
        var changes = report.Outcomes
            .SelectMany(o => new[] { (Time: o.Run.Start, Delta: o.Job.Gpus), (Time: o.Run.End, Delta: -o.Job.Gpus) })
            .OrderBy(c => c.Time).ThenBy(c => c.Delta);
        var (inUse, peak) = (0, 0);
        foreach (var (_, delta) in changes)
        {
            inUse += delta;
            peak = Math.Max(peak, inUse);
        }

        return peak;
    }

    // Simulations are independent and pure, so they run on every core; results keep the given order.
    private IReadOnlyList<EvaluationResult> RunAll(IEnumerable<Run> runs)
    {
        var list = runs.ToList();
        var results = new EvaluationResult[list.Count];
        Parallel.For(0, list.Count, i =>
        {
            var run = list[i];
            var report = Simulator.Run(run.Jobs, run.Policy, _actuals, run.Forecast.Source, run.Capacity);
            results[i] = new EvaluationResult(run.Scenario, run.Zone, run.Case, run.Label, run.Forecast.Label, ReportFigures.From(report));
        });
        return results;
    }

    private sealed record Run(
        string Scenario,
        string Zone,
        string Case,
        string Label,
        (string Label, IForecastSource Source) Forecast,
        IReadOnlyList<SimulationJob> Jobs,
        IPlacementPolicy Policy,
        ClusterCapacity? Capacity = null);
}
