using Scheduler.Cli.Evaluation;
using Scheduler.Core.Intensity;
using Scheduler.Tests.Shared;

namespace Scheduler.Cli.Tests.Evaluation;

/// <summary>Properties the evaluation's results must have on real data, whatever the numbers.</summary>
public class EvaluationSuiteTests
{
    private static readonly Lazy<IntensitySeries> Germany = new(() => CarbonCsvFile.Read(RepositoryPaths.SharedData("carbon-2025", "ger_2025_ci.csv")));

    [Fact]
    public void Nightly_WithPerfectForecasts_SavesMoreTheFurtherTheJobMayMoveAndBeatsNoise()
    {
        var suite = new EvaluationSuite([("DE", Germany.Value)], new EvaluationSettings());

        var results = suite.Nightly();

        var perfect = results.Where(r => r.Forecast == EvaluationSuite.Perfect).Select(r => r.Figures.SavedPercent).ToList();
        var noisy = results.Where(r => r.Forecast != EvaluationSuite.Perfect).Select(r => r.Figures.SavedPercent).ToList();
        Assert.Equal(EvaluationSuite.MaxHoursEitherSide + 1, perfect.Count);
        Assert.Equal(0, perfect[0], 9);
        for (var w = 1; w < perfect.Count; w++)
        {
            // A wider window contains the narrower one, so the best start in it is never worse.
            Assert.True(perfect[w] >= perfect[w - 1] - 1e-9, $"W = {w}: {perfect[w]} < {perfect[w - 1]}");

            // With perfect knowledge each job's window is the best there is, so noise can only lose.
            Assert.True(perfect[w] >= noisy[w] - 1e-9, $"W = {w}: noisy {noisy[w]} beats perfect {perfect[w]}");
        }

        Assert.True(perfect[^1] > 10, $"8 h either way saves only {perfect[^1]} % in Germany");
        Assert.All(results, r => Assert.Equal(0, r.Figures.MissedDeadlines));
    }

    [Fact]
    public void Training_TheOptimumBoundsEveryPolicyWithPerfectForecastsAndNoDeadlineIsMissed()
    {
        var year = Germany.Value;
        var quarter = new IntensitySeries(year.Start, year.Step, year.Values[..(90 * 48)].ToArray());
        var suite = new EvaluationSuite([("DE", quarter)], new EvaluationSettings(TrainingJobsPerWorkingDay: 2));

        var results = suite.Training();

        var optimum = results.Single(r => r.Label == "optimum").Figures;
        Assert.True(optimum.Jobs > 50);
        foreach (var result in results.Where(r => r.Forecast == EvaluationSuite.Perfect && r.Label is "lowest-window" or "lowest-slots (1 h)"))
        {
            Assert.True(optimum.SavedPercent >= result.Figures.SavedPercent - 1e-6, $"{result.Case} {result.Label}: {result.Figures.SavedPercent} > optimum {optimum.SavedPercent}");
        }

        Assert.All(results, r => Assert.Equal(0, r.Figures.MissedDeadlines));
        Assert.All(results.Where(r => r.Forecast == EvaluationSuite.Perfect), r => Assert.True(r.Figures.SavedPercent >= -1e-6, $"{r.Case} {r.Label} loses carbon with perfect forecasts"));
    }
}
