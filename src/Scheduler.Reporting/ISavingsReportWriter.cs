using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>
/// Writes a report in one format. The Jobs are handed over one by one as they are accounted for, so a
/// format that lists every Job (CSV, JSON) streams them; the summary comes last, once they are all added up.
/// </summary>
public interface ISavingsReportWriter
{
    /// <summary>Writes one Job's row, when the format lists every Job.</summary>
    ValueTask WriteJobAsync(JobEmissions job, CancellationToken cancellationToken);

    /// <summary>Writes what comes after the Jobs (or, for a format that does not list them, everything).</summary>
    ValueTask CompleteAsync(SavingsReport report, CancellationToken cancellationToken);
}
