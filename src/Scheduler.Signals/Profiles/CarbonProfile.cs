using System.Text.Json.Serialization;

namespace Scheduler.Signals.Profiles;

/// <summary>
/// A built-in carbon profile of one grid zone: mean intensity (gCO2eq/kWh) by month, weekday and
/// time of day in the zone's local time, used as the forecast when no live source is configured.
/// </summary>
public sealed class CarbonProfile
{
    /// <summary>The grid zone id, e.g. <c>DE</c>.</summary>
    [JsonPropertyName("zone")]
    public required string Zone { get; init; }

    /// <summary>IANA time zone in which the profile's months, weekdays and slots are counted.</summary>
    [JsonPropertyName("timeZone")]
    public required string TimeZone { get; init; }

    /// <summary>Length of a time-of-day slot, in minutes (divides a day).</summary>
    [JsonPropertyName("stepMinutes")]
    public required int StepMinutes { get; init; }

    /// <summary>Where the profile was derived from and how.</summary>
    [JsonPropertyName("provenance")]
    public required CarbonProfileProvenance Provenance { get; init; }

    /// <summary>Means indexed [month 0..11][weekday 0..6, Sunday = 0][slot].</summary>
    [JsonPropertyName("means")]
    public required double[][][] Means { get; init; }

    /// <summary>The number of slots in a day.</summary>
    [JsonIgnore]
    public int SlotsPerDay => 24 * 60 / StepMinutes;

    /// <summary>The mean for a local wall-clock time.</summary>
    public double MeanAt(DateTime localTime)
    {
        var slot = ((localTime.Hour * 60) + localTime.Minute) / StepMinutes;
        return Means[localTime.Month - 1][(int)localTime.DayOfWeek][slot];
    }

    /// <summary>Every problem with the profile's shape; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (StepMinutes <= 0 || (24 * 60) % StepMinutes != 0)
        {
            errors.Add($"profile {Zone}: stepMinutes {StepMinutes} does not divide a day");
            return errors;
        }

        if (Means is not { Length: 12 } || Means.Any(m => m is not { Length: 7 } || m.Any(d => d is null || d.Length != SlotsPerDay)))
        {
            errors.Add($"profile {Zone}: means must be 12 months x 7 weekdays x {SlotsPerDay} slots");
        }
        else if (Means.SelectMany(m => m).SelectMany(d => d).Any(v => !double.IsFinite(v) || v < 0))
        {
            errors.Add($"profile {Zone}: every mean must be a finite, non-negative gCO2eq/kWh");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            errors.Add($"profile {Zone}: unknown time zone '{TimeZone}'");
        }

        return errors;
    }
}
