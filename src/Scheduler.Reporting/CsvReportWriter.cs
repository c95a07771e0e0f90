using Scheduler.Core.Accounting;

namespace Scheduler.Reporting;

/// <summary>The CSV report: a header, then one row per Job as it is accounted for (RFC 4180 quoting).</summary>
public sealed class CsvReportWriter : ISavingsReportWriter
{
    private readonly TextWriter _output;
    private readonly System.Text.StringBuilder _row = new(512);
    private bool _started;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public CsvReportWriter(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <inheritdoc />
    public async ValueTask WriteJobAsync(JobEmissions job, CancellationToken cancellationToken)
    {
        await StartAsync().ConfigureAwait(false);
        await WriteRowAsync(JobRow.Values(job)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(SavingsReport report, CancellationToken cancellationToken)
    {
        // A period without Jobs still gets its header.
        await StartAsync().ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask StartAsync()
    {
        if (!_started)
        {
            _started = true;
            await WriteRowAsync(JobRow.Columns).ConfigureAwait(false);
        }
    }

    // One row at a time through a reused buffer: a report of a million Jobs streams without a string per row.
    private Task WriteRowAsync(string[] values)
    {
        _row.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _row.Append(',');
            }

            var value = values[i];
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                _row.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                _row.Append(value);
            }
        }

        _row.Append("\r\n");
        return _output.WriteAsync(_row);
    }
}
