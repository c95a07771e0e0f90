using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Evaluation;

/// <summary>
/// The figures the evaluation shows of one simulation, kept instead of its per-job outcomes: the
/// suite runs some fifty simulations of 100,000 jobs, and only these numbers are read afterwards.
/// </summary>
internal sealed record ReportFigures(int Jobs, double BaselineGrams, double PolicyGrams, double SavedPercent, int MissedDeadlines, double MeanDelayHours, double P95DelayHours)
{
    public static ReportFigures From(SimulationReport report) => new(
        report.Outcomes.Count,
        report.BaselineGrams,
        report.PolicyGrams,
        report.SavedPercent,
        report.MissedDeadlines,
        report.MeanDelayHours,
        report.P95DelayHours);
}
