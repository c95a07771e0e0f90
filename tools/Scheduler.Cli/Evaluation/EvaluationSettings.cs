namespace Scheduler.Cli.Evaluation;

/// <summary>The knobs of the evaluation, each with the value <c>docs/evaluation.md</c> was made with.</summary>
/// <param name="ForecastError">The relative error of the noisy forecasts (sigma = error x mean intensity).</param>
/// <param name="Seed">The seed of the noise and of the training-job trace.</param>
/// <param name="TrainingJobsPerWorkingDay">Training jobs submitted each working day.</param>
/// <param name="Watts">The power of the generated jobs; savings in percent do not depend on it.</param>
internal sealed record EvaluationSettings(double ForecastError = 0.05, int Seed = 1, int TrainingJobsPerWorkingDay = 4, double Watts = 1000);
