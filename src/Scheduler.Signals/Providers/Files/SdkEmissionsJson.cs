using System.Globalization;
using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.Files;

/// <summary>
/// Reads the Carbon Aware SDK's emissions JSON: <c>{"Emissions":[{Location, Time, Rating, Duration}]}</c>
/// or a bare array of those records (carbon-sources.md §1.4).
/// </summary>
/// <remarks>
/// More lenient than the SDK itself, because the files found in the wild do not all match its schema:
/// property names are matched case-insensitively, <c>Rating</c> may be a numeric string
/// (sample-emissions-data.json), <c>Location</c> and <c>Duration</c> may be missing, and times without an
/// offset are read as UTC, the convention of the CSV reader too.
/// </remarks>
internal static class SdkEmissionsJson
{
    /// <summary>Parses <paramref name="text"/> into one series per location.</summary>
    /// <exception cref="FormatException">The JSON is invalid, a record is unreadable, or no location has a usable series.</exception>
    public static FileIntensityContent Parse(string text, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{sourceName}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var records = Records(document.RootElement, sourceName);
            var byLocation = new Dictionary<string, List<TimedValue>>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var record in records.EnumerateArray())
            {
                (string Location, TimedValue Point) read;
                try
                {
                    read = ReadRecord(record, $"{sourceName}: record {index}");
                }
                catch (InvalidOperationException e)
                {
                    // A string escaping half a surrogate pair (\ud800) is valid JSON but no text.
                    throw new FormatException($"{sourceName}: record {index}: {e.Message}", e);
                }

                var (location, point) = read;
                if (!byLocation.TryGetValue(location, out var points))
                {
                    points = [];
                    byLocation[location] = points;
                }

                points.Add(point);
                index++;
            }

            if (byLocation.Count == 0)
            {
                throw new FormatException($"{sourceName}: the file holds no emissions records");
            }

            var series = new Dictionary<string, IntensitySeries>(StringComparer.OrdinalIgnoreCase);
            var problems = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (location, points) in byLocation)
            {
                var label = location.Length == 0 ? sourceName : $"{sourceName} ({location})";
                try
                {
                    series[location] = Build(points, label);
                }
                catch (FormatException e)
                {
                    problems[location] = e.Message;
                }
            }

            return series.Count > 0
                ? new FileIntensityContent(series, problems)
                : throw new FormatException(string.Join("; ", problems.Values));
        }
    }

    private static JsonElement Records(JsonElement root, string sourceName)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root;
        }

        if (root.ValueKind == JsonValueKind.Object && TryGet(root, "Emissions", out var emissions) && emissions.ValueKind == JsonValueKind.Array)
        {
            return emissions;
        }

        throw new FormatException($"{sourceName}: expected an 'Emissions' array or a top-level array of records");
    }

    private static (string Location, TimedValue Point) ReadRecord(JsonElement record, string where)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: not an object");
        }

        var location = TryGet(record, "Location", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()!.Trim() : FileIntensityContent.AnyLocation;
        if (!TryGet(record, "Time", out var t) || t.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new FormatException($"{where}: 'Time' is missing or not a time");
        }

        if (!TryGet(record, "Rating", out var r) || !TryRating(r, out var rating))
        {
            throw new FormatException($"{where}: 'Rating' is missing or not a number");
        }

        var duration = TimeSpan.Zero;
        if (TryGet(record, "Duration", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            duration = d.ValueKind switch
            {
                JsonValueKind.String when TimeSpan.TryParse(d.GetString(), CultureInfo.InvariantCulture, out var span) => span,
                // A number of minutes beyond TimeSpan's range is as malformed as text that is no TimeSpan.
                JsonValueKind.Number when d.TryGetDouble(out var minutes) && Math.Abs(minutes) < TimeSpan.MaxValue.TotalMinutes => TimeSpan.FromMinutes(minutes),
                _ => throw new FormatException($"{where}: 'Duration' {d} is not a TimeSpan such as 01:00:00"),
            };
        }

        return (location, new TimedValue(time, duration, rating));
    }

    private static IntensitySeries Build(List<TimedValue> points, string label)
    {
        points.Sort((a, b) => a.Time.CompareTo(b.Time));

        // Forecast files written in the SDK format pad the horizon they could not fill with
        // "Rating": 0 (de_casdk-format_2024-03-24.json ends with 96 such records). A real grid is never
        // at exactly zero, so a trailing run of exact zeros is missing data and is cut rather than
        // offered to the planner as the cleanest hours of the forecast.
        var count = points.Count;
        while (count > 0 && points[count - 1].Value == 0)
        {
            count--;
        }

        if (count == 0)
        {
            throw new FormatException($"{label}: every rating is a placeholder 0");
        }

        var kept = points.GetRange(0, count);
        var series = ContiguousSeries.Build(kept, label, out var used);
        if (used < kept.Count)
        {
            // A file is both the forecast and the record of actuals, so a hole is an error to fix
            // in the file, not something to cut silently as for a live forecast.
            throw new FormatException($"{label}: records must be evenly spaced every {series.Step}, without gaps, each with a non-negative rating; the record at {kept[used].Time:O} breaks that");
        }

        return series;
    }

    private static bool TryRating(JsonElement element, out double rating)
    {
        rating = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out rating),
            JsonValueKind.String => double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out rating),
            _ => false,
        };
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
