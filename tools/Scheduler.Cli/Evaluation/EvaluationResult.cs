namespace Scheduler.Cli.Evaluation;

/// <summary>One simulation of the evaluation: a scenario's case in one grid, under one policy and forecast.</summary>
/// <param name="Scenario">nightly, training or trace.</param>
/// <param name="Zone">The grid.</param>
/// <param name="Case">The scenario's variant, e.g. <c>W = 3 h</c> or <c>interruptible</c>.</param>
/// <param name="Label">The policy as the tables name it (e.g. <c>optimum</c>, <c>lowest-slots (1h)</c>).</param>
/// <param name="Forecast">perfect or the noise level.</param>
/// <param name="Figures">The simulation's result.</param>
internal sealed record EvaluationResult(string Scenario, string Zone, string Case, string Label, string Forecast, ReportFigures Figures);
