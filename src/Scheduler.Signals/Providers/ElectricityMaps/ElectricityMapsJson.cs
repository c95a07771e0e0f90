using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Providers.Common;

namespace Scheduler.Signals.Providers.ElectricityMaps;

/// <summary>
/// Reads the Electricity Maps v3 carbon-intensity answers: <c>forecast</c> (<c>{"zone","forecast":[{"datetime","carbonIntensity"}],"updatedAt"}</c>),
/// <c>history</c> (<c>{"zone","history":[…]}</c>), <c>past-range</c> (<c>{"zone"?,"data":[…]}</c>) and <c>latest</c> (one point object).
/// </summary>
internal static class ElectricityMapsJson
{
    /// <summary>The only unit the API uses; checked when a response names one.</summary>
    public const string Unit = "gCO2eq/kWh";

    /// <summary>The API's default granularity, used when the spacing of the points cannot tell.</summary>
    public static readonly TimeSpan DefaultStep = TimeSpan.FromHours(1);

    /// <summary>Reads a forecast answer into a forecast of our <paramref name="zone"/>.</summary>
    /// <exception cref="IntensityProviderException">The answer is malformed, empty, irregular or for another zone.</exception>
    public static IntensityForecast ParseForecast(JsonElement root, string zone, string region, DateTimeOffset now)
    {
        RequireObject(root, "the forecast answer");
        CheckZone(root, region);
        CheckUnit(root);
        var items = RequireArray(root, "forecast");
        if (items.GetArrayLength() == 0)
        {
            throw Malformed($"the forecast of {region} is empty");
        }

        var points = new List<(DateTimeOffset Time, double Value)>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            RequireObject(item, "a forecast point");
            CheckUnit(item);
            var time = RequireTime(item, "datetime");

            // A forecast is a regular series: a hole cannot be represented, so a null value is an error here.
            var value = ReadIntensity(item, time) ?? throw Malformed($"the forecast point at {time:O} has no carbonIntensity");
            points.Add((time, value));
        }

        points.Sort((a, b) => a.Time.CompareTo(b.Time));
        var step = RegularStep(points.Select(p => p.Time).ToList(), GranularityStep(root));
        var issuedAt = OptionalTime(root, "updatedAt") ?? now;
        var series = new IntensitySeries(points[0].Time, step, points.Select(p => p.Value).ToArray());
        return new IntensityForecast(zone, series, issuedAt, ElectricityMapsProvider.ProviderName, IntensitySignal.Average);
    }

    /// <summary>Reads a <c>history</c> or <c>past-range</c> answer (points under <paramref name="arrayName"/>).</summary>
    /// <exception cref="IntensityProviderException">The answer is malformed.</exception>
    public static List<IntensityReading> ParseReadings(JsonElement root, string arrayName, string region, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        RequireObject(root, $"the {arrayName} answer");
        CheckZone(root, region);
        CheckUnit(root);
        var points = new List<(DateTimeOffset Time, double? Value)>();
        foreach (var item in RequireArray(root, arrayName).EnumerateArray())
        {
            RequireObject(item, $"a {arrayName} point");
            CheckUnit(item);
            var time = RequireTime(item, "datetime");
            points.Add((time, ReadIntensity(item, time)));
        }

        return Readings(points, GranularityStep(root), periodStart, periodEnd);
    }

    /// <summary>Reads a <c>latest</c> answer: one point object.</summary>
    /// <exception cref="IntensityProviderException">The answer is malformed.</exception>
    public static List<IntensityReading> ParseLatest(JsonElement root, string region, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        RequireObject(root, "the latest answer");
        CheckZone(root, region);
        CheckUnit(root);
        var time = RequireTime(root, "datetime");
        return Readings([(time, ReadIntensity(root, time))], GranularityStep(root), periodStart, periodEnd);
    }

    private static List<IntensityReading> Readings(List<(DateTimeOffset Time, double? Value)> answered, TimeSpan? granularity, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var points = TimedPoints.OnePerTime(answered, time => Malformed($"the answer has two different values at {time:O}"));

        // Measured history has holes (hours the API could not compute), so the smallest gap, not the
        // first one, is the granularity.
        var step = granularity;
        for (var i = 1; i < points.Count; i++)
        {
            var gap = points[i].Time - points[i - 1].Time;
            if (gap > TimeSpan.Zero && (step is null || gap < step))
            {
                step = gap;
            }
        }

        var duration = step ?? DefaultStep;
        var readings = new List<IntensityReading>(points.Count);
        foreach (var (time, value) in points)
        {
            // A null carbonIntensity is an hour without data (carbon-aware-sdk #571): skip it rather than invent a value.
            if (value is { } grams && time < periodEnd && time + duration > periodStart)
            {
                readings.Add(new IntensityReading(time, duration, grams));
            }
        }

        return readings;
    }

    private static TimeSpan RegularStep(List<DateTimeOffset> times, TimeSpan? granularity)
    {
        if (times.Count == 1)
        {
            return granularity ?? DefaultStep;
        }

        var step = times[1] - times[0];
        for (var i = 1; i < times.Count; i++)
        {
            var gap = times[i] - times[i - 1];
            if (gap <= TimeSpan.Zero)
            {
                throw Malformed($"the forecast has two points at {times[i]:O}");
            }

            if (gap != step)
            {
                throw Malformed($"the forecast points must be evenly spaced; {times[i - 1]:O} to {times[i]:O} is {gap}, not {step}");
            }
        }

        return step;
    }

    // Newer answers may say their granularity; the documented ones do not, and then the spacing decides.
    private static TimeSpan? GranularityStep(JsonElement root) =>
        root.TryGetProperty("temporalGranularity", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                "5_minutes" => TimeSpan.FromMinutes(5),
                "15_minutes" => TimeSpan.FromMinutes(15),
                "hourly" => TimeSpan.FromHours(1),
                _ => null,
            }
            : null;

    private static double? ReadIntensity(JsonElement item, DateTimeOffset time)
    {
        if (!item.TryGetProperty("carbonIntensity", out var value))
        {
            throw Malformed($"the point at {time:O} has no carbonIntensity");
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var grams) || !double.IsFinite(grams) || grams < 0)
        {
            throw Malformed($"the carbonIntensity at {time:O} is {value.GetRawText()}, not a non-negative number of {Unit}");
        }

        return grams;
    }

    // The documented answers carry no unit; a response that names one must name ours, or the values
    // would be silently misread.
    private static void CheckUnit(JsonElement element)
    {
        foreach (var name in (ReadOnlySpan<string>)["unit", "units"])
        {
            if (element.TryGetProperty(name, out var unit)
                && (unit.ValueKind != JsonValueKind.String || !string.Equals(unit.GetString(), Unit, StringComparison.OrdinalIgnoreCase)))
            {
                throw Malformed($"the unit is {unit.GetRawText()}, not {Unit}");
            }
        }
    }

    // The API falls back to other zones (e.g. by caller location) in some cases; data of another
    // zone must not be passed off as this one's.
    private static void CheckZone(JsonElement root, string region)
    {
        if (root.TryGetProperty("zone", out var zone)
            && zone.ValueKind == JsonValueKind.String
            && !string.Equals(zone.GetString(), region, StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed($"asked for zone {region} but the answer is for zone {zone.GetString()}");
        }
    }

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{what} is a JSON {element.ValueKind}, not an object");
        }
    }

    private static JsonElement RequireArray(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw Malformed($"the answer has no '{name}' array");

    private static DateTimeOffset RequireTime(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time.ToUniversalTime()
            : throw Malformed($"a point has no valid '{name}'");

    private static DateTimeOffset? OptionalTime(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time.ToUniversalTime()
            : null;

    private static IntensityProviderException Malformed(string message) =>
        new(ElectricityMapsProvider.ProviderName, ProviderErrorKind.Malformed, message);
}
