using System.Globalization;
using System.Text.Json;

namespace Scheduler.Signals.Prometheus;

/// <summary>
/// Reads the JSON of the Prometheus HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>) in
/// one forward pass: vectors, matrices and scalars become <see cref="PromSeries"/>; NaN and infinite
/// samples (a division by zero in a query, a stale marker) are dropped rather than passed on.
/// </summary>
internal static class PrometheusResponseReader
{
    /// <summary>The series of a successful answer.</summary>
    /// <param name="json">The answer's bytes.</param>
    /// <param name="pointsPerSeries">
    /// The points each series is expected to have (a range query's steps), so their lists are sized
    /// once instead of growing by doubling; 0 when unknown.
    /// </param>
    /// <exception cref="PrometheusException">The answer is an error (kind from its <c>errorType</c>) or not the API's JSON.</exception>
    public static List<PromSeries> Read(ReadOnlySpan<byte> json, int pointsPerSeries = 0)
    {
        try
        {
            return ReadDocument(json, pointsPerSeries);
        }
        catch (JsonException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Malformed, $"Prometheus did not answer with valid JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Malformed, $"Prometheus answered with an unreadable sample: {e.Message}", e);
        }
    }

    /// <summary>The kind of error an <c>errorType</c> names.</summary>
    public static PrometheusErrorKind KindOf(string? errorType) => errorType switch
    {
        "timeout" => PrometheusErrorKind.Timeout,
        "canceled" or "unavailable" or "internal" => PrometheusErrorKind.Unavailable,
        _ => PrometheusErrorKind.Rejected,
    };

    private static List<PromSeries> ReadDocument(ReadOnlySpan<byte> json, int pointsPerSeries)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Expect(ref reader, JsonTokenType.StartObject);
        string? status = null, errorType = null, error = null;
        List<PromSeries>? series = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("status"u8))
            {
                Next(ref reader);
                status = reader.GetString();
            }
            else if (reader.ValueTextEquals("errorType"u8))
            {
                Next(ref reader);
                errorType = reader.GetString();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                Next(ref reader);
                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Next(ref reader);
                series = ReadData(ref reader, pointsPerSeries);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (status == "error")
        {
            throw new PrometheusException(KindOf(errorType), $"Prometheus refused the query ({errorType}): {error}");
        }

        if (status != "success" || series is null)
        {
            throw new PrometheusException(PrometheusErrorKind.Malformed, "Prometheus' answer has no \"status\":\"success\" and \"data\".");
        }

        return series;
    }

    private static List<PromSeries> ReadData(ref Utf8JsonReader reader, int pointsPerSeries)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("\"data\" is not an object");
        }

        var series = new List<PromSeries>();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("result"u8))
            {
                Next(ref reader);
                reader.Skip();
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray);
            if (Next(ref reader) == JsonTokenType.EndArray)
            {
                continue;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // A vector or a matrix: one object per series.
                do
                {
                    series.Add(ReadSeries(ref reader, pointsPerSeries));
                }
                while (Next(ref reader) == JsonTokenType.StartObject);
            }
            else
            {
                // A scalar or string: the result itself is [time, "value"], and we stand on the time.
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new JsonException("a scalar result is not [time, value]");
                }

                var seconds = reader.GetDouble();
                Expect(ref reader, JsonTokenType.String);
                var value = ParseValue(reader.ValueSpan);
                Expect(ref reader, JsonTokenType.EndArray);
                var points = new List<PromPoint>(1);
                if (double.IsFinite(value))
                {
                    points.Add(new PromPoint(Time(seconds), value));
                }

                series.Add(new PromSeries(new Dictionary<string, string>(), points));
            }
        }

        return series;
    }

    private static PromSeries ReadSeries(ref Utf8JsonReader reader, int pointsPerSeries)
    {
        Dictionary<string, string> labels = new(StringComparer.Ordinal);
        var points = new List<PromPoint>(pointsPerSeries);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metric"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    Next(ref reader);
                    labels[name] = reader.GetString() ?? string.Empty;
                }
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                AddPoint(ref reader, points, alreadyOpen: false);
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) == JsonTokenType.StartArray)
                {
                    AddPoint(ref reader, points, alreadyOpen: true);
                }
            }
            else
            {
                // Native histograms and anything newer: not used here.
                Next(ref reader);
                reader.Skip();
            }
        }

        points.TrimExcess();
        return new PromSeries(labels, points);
    }

    private static void AddPoint(ref Utf8JsonReader reader, List<PromPoint> points, bool alreadyOpen)
    {
        if (!alreadyOpen)
        {
            Expect(ref reader, JsonTokenType.StartArray);
        }
        else if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("a sample is not a [time, value] array");
        }

        Expect(ref reader, JsonTokenType.Number);
        var seconds = reader.GetDouble();
        Expect(ref reader, JsonTokenType.String);
        var value = ParseValue(reader.ValueSpan);
        Expect(ref reader, JsonTokenType.EndArray);
        if (double.IsFinite(value))
        {
            points.Add(new PromPoint(Time(seconds), value));
        }
    }

    private static DateTimeOffset Time(double unixSeconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(unixSeconds * 1000));

    private static double ParseValue(ReadOnlySpan<byte> text)
    {
        // Prometheus writes Go's float formatting: "+Inf", "-Inf" and "NaN" besides plain numbers.
        if (text.SequenceEqual("NaN"u8) || text.SequenceEqual("+Inf"u8) || text.SequenceEqual("-Inf"u8))
        {
            return double.NaN;
        }

        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the answer ends early");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"expected {type} but found {reader.TokenType}");
        }
    }
}
