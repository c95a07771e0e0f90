namespace Scheduler.Reporting;

/// <summary>What a savings report is asked to cover.</summary>
/// <param name="From">The start of the period.</param>
/// <param name="Until">The end of the period (exclusive).</param>
/// <param name="Namespace">Only this namespace, when given.</param>
/// <param name="Team">Only this team, when given.</param>
/// <param name="Job">One Job's name (in <paramref name="Namespace"/>): the report then also shows its intensity curve with its submission, planned and actual windows.</param>
public sealed record SavingsReportRequest(DateTimeOffset From, DateTimeOffset Until, string? Namespace = null, string? Team = null, string? Job = null)
{
    /// <summary>How far before the period's start a Job completed in it may have been submitted and still find recorded intensities.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(31);

    /// <summary>The problems with this request, in words; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        List<string> problems = [];
        if (Until <= From)
        {
            problems.Add($"the end of the period ({Until:O}) must come after its start ({From:O})");
        }

        if (Until - From > TimeSpan.FromDays(3660))
        {
            problems.Add("the period may be at most ten years");
        }

        if (Job is not null && string.IsNullOrWhiteSpace(Namespace))
        {
            problems.Add("a Job is named within its namespace: give the namespace too");
        }

        return problems;
    }
}
