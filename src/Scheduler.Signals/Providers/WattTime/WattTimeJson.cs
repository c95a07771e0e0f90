using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.WattTime;

/// <summary>
/// Reads the WattTime v3 <c>/v3/forecast</c> and <c>/v3/historical</c> answers:
/// <c>{"data":[{"point_time","value"}],"meta":{"region","signal_type","units","generated_at","data_point_period_seconds",…}}</c>,
/// converting the values to gCO2eq/kWh.
/// </summary>
internal static class WattTimeJson
{
    /// <summary>The unit of <c>co2_moer</c> values.</summary>
    public const string PoundsPerMegawattHour = "lbs_co2_per_mwh";

    /// <summary>1 lb/MWh in g/kWh: 453.59237 g per lb over 1000 kWh per MWh.</summary>
    public const double GramsPerKwhPerPoundPerMwh = 0.45359237;

    /// <summary>WattTime's granularity, used when neither the meta nor the points tell.</summary>
    public static readonly TimeSpan DefaultStep = TimeSpan.FromMinutes(5);

    /// <summary>Reads a forecast answer into a marginal forecast of our <paramref name="zone"/>.</summary>
    /// <exception cref="IntensityProviderException">The answer is malformed, empty, irregular, in an unknown unit or for another region or signal.</exception>
    public static IntensityForecast ParseForecast(JsonElement root, string zone, string region, string signalType, DateTimeOffset now)
    {
        var (factor, period, generatedAt) = ReadMeta(root, region, signalType);
        var points = ReadPoints(root, factor);
        if (points.Count == 0)
        {
            throw Malformed($"the forecast of {region} is empty");
        }

        points.Sort((a, b) => a.Time.CompareTo(b.Time));
        var step = period ?? DefaultStep;
        if (points.Count > 1)
        {
            step = points[1].Time - points[0].Time;
            for (var i = 1; i < points.Count; i++)
            {
                var gap = points[i].Time - points[i - 1].Time;
                if (gap <= TimeSpan.Zero)
                {
                    throw Malformed($"the forecast has two points at {points[i].Time:O}");
                }

                if (gap != step)
                {
                    throw Malformed($"the forecast points must be evenly spaced; {points[i - 1].Time:O} to {points[i].Time:O} is {gap}, not {step}");
                }
            }

            if (period is { } declared && declared != step)
            {
                throw Malformed($"the forecast points are {step} apart but data_point_period_seconds says {declared}");
            }
        }

        var series = new IntensitySeries(points[0].Time, step, points.Select(p => p.Grams).ToArray());

        // MOER is marginal intensity: labelled as such so it is never compared with average figures unawares.
        return new IntensityForecast(zone, series, generatedAt ?? now, WattTimeProvider.ProviderName, IntensitySignal.Marginal);
    }

    /// <summary>Reads a historical answer into the readings that overlap [<paramref name="periodStart"/>, <paramref name="periodEnd"/>), oldest first.</summary>
    /// <exception cref="IntensityProviderException">The answer is malformed or in an unknown unit.</exception>
    public static List<IntensityReading> ParseReadings(JsonElement root, string region, string signalType, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var (factor, period, _) = ReadMeta(root, region, signalType);
        var points = TimedPoints.OnePerTime(ReadPoints(root, factor), time => Malformed($"the answer has two different values at {time:O}"));

        var duration = period ?? DefaultStep;
        if (period is null)
        {
            for (var i = 1; i < points.Count; i++)
            {
                var gap = points[i].Time - points[i - 1].Time;
                if (gap > TimeSpan.Zero && (i == 1 || gap < duration))
                {
                    duration = gap;
                }
            }
        }

        return points
            .Where(p => p.Time < periodEnd && p.Time + duration > periodStart)
            .Select(p => new IntensityReading(p.Time, duration, p.Value))
            .ToList();
    }

    private static (double Factor, TimeSpan? Period, DateTimeOffset? GeneratedAt) ReadMeta(JsonElement root, string region, string signalType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"the answer is a JSON {root.ValueKind}, not an object");
        }

        if (!root.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("the answer has no 'meta' object, so its unit is unknown");
        }

        // The unit is read, never assumed: a value in an unexpected unit would be off by a factor silently.
        var units = meta.TryGetProperty("units", out var unitsValue) && unitsValue.ValueKind == JsonValueKind.String ? unitsValue.GetString() : null;
        var factor = units switch
        {
            PoundsPerMegawattHour => GramsPerKwhPerPoundPerMwh,
            null => throw Malformed("meta.units is missing"),
            _ => throw Malformed($"meta.units is '{units}'; only {PoundsPerMegawattHour} is understood"),
        };

        if (meta.TryGetProperty("region", out var answered) && answered.ValueKind == JsonValueKind.String
            && !string.Equals(answered.GetString(), region, StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed($"asked for region {region} but the answer is for {answered.GetString()}");
        }

        if (meta.TryGetProperty("signal_type", out var signal) && signal.ValueKind == JsonValueKind.String
            && !string.Equals(signal.GetString(), signalType, StringComparison.Ordinal))
        {
            throw Malformed($"asked for signal {signalType} but the answer is {signal.GetString()}");
        }

        TimeSpan? period = null;
        if (meta.TryGetProperty("data_point_period_seconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number)
        {
            period = seconds.TryGetInt32(out var s) && s > 0 ? TimeSpan.FromSeconds(s) : throw Malformed($"meta.data_point_period_seconds is {seconds.GetRawText()}");
        }

        DateTimeOffset? generatedAt = meta.TryGetProperty("generated_at", out var generated) && generated.ValueKind == JsonValueKind.String && generated.TryGetDateTimeOffset(out var at)
            ? at.ToUniversalTime()
            : null;
        return (factor, period, generatedAt);
    }

    private static List<(DateTimeOffset Time, double Grams)> ReadPoints(JsonElement root, double factor)
    {
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("the answer has no 'data' array");
        }

        var points = new List<(DateTimeOffset Time, double Grams)>(data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("point_time", out var timeValue) || timeValue.ValueKind != JsonValueKind.String
                || !timeValue.TryGetDateTimeOffset(out var time))
            {
                throw Malformed("a data point has no valid 'point_time'");
            }

            if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Number
                || !value.TryGetDouble(out var pounds) || !double.IsFinite(pounds) || pounds < 0)
            {
                throw Malformed($"the data point at {time.ToUniversalTime():O} has no non-negative numeric 'value'");
            }

            points.Add((time.ToUniversalTime(), pounds * factor));
        }

        return points;
    }

    private static IntensityProviderException Malformed(string message) =>
        new(WattTimeProvider.ProviderName, ProviderErrorKind.Malformed, message);
}
