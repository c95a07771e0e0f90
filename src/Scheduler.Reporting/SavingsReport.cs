using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>A savings report's content, whatever its format.</summary>
/// <param name="Request">What it covers.</param>
/// <param name="GeneratedAt">When it was made.</param>
/// <param name="Summary">The totals: over the period, by namespace, team and stretch, and the Jobs that saved most.</param>
/// <param name="Assumptions">Every assumption behind the figures, in words.</param>
/// <param name="Zones">The zones the Jobs ran in: actual against forecast intensity over the period.</param>
/// <param name="Job">The Job asked for, when one was.</param>
public sealed record SavingsReport(
    SavingsReportRequest Request,
    DateTimeOffset GeneratedAt,
    SavingsSummary Summary,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<ZoneIntensityTrace> Zones,
    JobDetail? Job);
