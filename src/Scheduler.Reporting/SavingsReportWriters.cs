using System.Text;

namespace Scheduler.Reporting;

/// <summary>Writes a whole report in the format asked for to a stream: what the HTTP endpoint and the command share.</summary>
public static class SavingsReportWriters
{
    /// <summary>Makes the report asked for with <paramref name="builder"/> and writes it to <paramref name="output"/>.</summary>
    public static async Task<SavingsReport> WriteAsync(SavingsReportBuilder builder, SavingsReportRequest request, ReportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (format == ReportFormat.Json)
        {
            await using var json = new JsonReportWriter(output, indented: false);
            return await builder.WriteAsync(request, json, cancellationToken).ConfigureAwait(false);
        }

        // UTF-8 without a byte order mark; the stream stays open for the caller.
        await using var text = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        ISavingsReportWriter writer = format switch
        {
            ReportFormat.Csv => new CsvReportWriter(text),
            ReportFormat.Markdown => new MarkdownReportWriter(text),
            _ => new HtmlReportWriter(text),
        };
        return await builder.WriteAsync(request, writer, cancellationToken).ConfigureAwait(false);
    }
}
