using Scheduler.Core.Intensity;

namespace Scheduler.Signals.Profiles;

/// <summary>Turns a <see cref="CarbonProfile"/> into a forecast series on a UTC grid.</summary>
public static class CarbonProfileForecaster
{
    /// <summary>
    /// The profile's values from the slot containing <paramref name="from"/> for <paramref name="horizon"/>,
    /// each UTC slot taking the mean of its local month, weekday and time of day.
    /// </summary>
    public static IntensitySeries Forecast(CarbonProfile profile, TimeZoneInfo timeZone, DateTimeOffset from, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(timeZone);
        var step = TimeSpan.FromMinutes(profile.StepMinutes);
        var utc = from.ToUniversalTime();
        var start = new DateTimeOffset(utc.Ticks - (utc.Ticks % step.Ticks), TimeSpan.Zero);
        var count = (int)Math.Ceiling((utc + horizon - start) / step);
        var values = new double[Math.Max(1, count)];
        for (var i = 0; i < values.Length; i++)
        {
            var slotStart = start + (step * i);
            values[i] = profile.MeanAt(TimeZoneInfo.ConvertTimeFromUtc(slotStart.UtcDateTime, timeZone));
        }

        return new IntensitySeries(start, step, values);
    }
}
