namespace Scheduler.Reporting;

/// <summary>Report format names as users type them, and what each is served as.</summary>
public static class ReportFormats
{
    /// <summary>The names accepted, for error messages.</summary>
    public const string Names = "html, csv, json, md";

    /// <summary>Reads <c>html</c>, <c>csv</c>, <c>json</c> or <c>md</c> (also <c>markdown</c>), in any case.</summary>
    public static bool TryParse(string? text, out ReportFormat format)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "HTML":
                format = ReportFormat.Html;
                return true;
            case "CSV":
                format = ReportFormat.Csv;
                return true;
            case "JSON":
                format = ReportFormat.Json;
                return true;
            case "MD" or "MARKDOWN":
                format = ReportFormat.Markdown;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The media type to serve a report of <paramref name="format"/> as.</summary>
    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        ReportFormat.Json => "application/json; charset=utf-8",
        _ => "text/markdown; charset=utf-8",
    };

    /// <summary>The file extension of <paramref name="format"/>.</summary>
    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Html => "html",
        ReportFormat.Csv => "csv",
        ReportFormat.Json => "json",
        _ => "md",
    };
}
