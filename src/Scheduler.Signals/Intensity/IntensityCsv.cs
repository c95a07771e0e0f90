using System.Globalization;

namespace Scheduler.Signals.Intensity;

/// <summary>
/// Reads carbon-intensity CSV files: the first column a timestamp (ISO 8601, with or without an
/// offset), the second gCO2eq/kWh; an optional header row whose names vary between sources.
/// </summary>
public static class IntensityCsv
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mm",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>Reads every row.</summary>
    /// <exception cref="FormatException">A row is malformed; the message names the line.</exception>
    public static List<IntensityRow> Read(TextReader reader, string sourceName = "input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<IntensityRow>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                throw new FormatException($"{sourceName}:{lineNumber}: expected 'timestamp,gCO2eq/kWh', found no comma");
            }

            var timeText = line.AsSpan(0, comma).Trim().Trim('"');
            var rest = line.AsSpan(comma + 1);
            var nextComma = rest.IndexOf(',');
            var valueText = (nextComma < 0 ? rest : rest[..nextComma]).Trim().Trim('"');

            if (!TryParseTime(timeText, out var time, out var hasOffset))
            {
                if (lineNumber == 1 && rows.Count == 0)
                {
                    continue; // the header
                }

                throw new FormatException($"{sourceName}:{lineNumber}: '{timeText.ToString()}' is not an ISO 8601 timestamp");
            }

            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                throw new FormatException($"{sourceName}:{lineNumber}: '{valueText.ToString()}' is not a non-negative gCO2eq/kWh value");
            }

            rows.Add(new IntensityRow(time, hasOffset, value));
        }

        return rows;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out DateTime time, out bool hasOffset)
    {
        if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
        {
            hasOffset = false;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            time = withOffset.UtcDateTime;
            hasOffset = true;
            return true;
        }

        hasOffset = false;
        return false;
    }
}
