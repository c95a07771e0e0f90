namespace Scheduler.Reporting;

/// <summary>The forms a savings report comes in.</summary>
public enum ReportFormat
{
    /// <summary>A self-contained HTML page with charts.</summary>
    Html,

    /// <summary>One CSV row per Job.</summary>
    Csv,

    /// <summary>One JSON document: the Jobs, the totals, the assumptions.</summary>
    Json,

    /// <summary>Markdown tables, for a pull request or a wiki page.</summary>
    Markdown,
}
