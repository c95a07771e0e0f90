namespace Scheduler.Signals.Intensity;

/// <summary>One row of an intensity CSV.</summary>
/// <param name="Time">The timestamp: UTC when <paramref name="HasOffset"/>, otherwise the wall-clock time as written.</param>
/// <param name="HasOffset">Whether the file gave a UTC offset (or <c>Z</c>).</param>
/// <param name="GramsPerKwh">The intensity, in gCO2eq/kWh.</param>
public readonly record struct IntensityRow(DateTime Time, bool HasOffset, double GramsPerKwh)
{
    /// <summary>The time in <paramref name="timeZone"/>'s wall clock.</summary>
    public DateTime LocalIn(TimeZoneInfo timeZone) =>
        HasOffset ? TimeZoneInfo.ConvertTimeFromUtc(Time, timeZone) : Time;

    /// <summary>The time as UTC, reading offset-less times as <paramref name="timeZone"/>'s wall clock.</summary>
    public DateTimeOffset UtcIn(TimeZoneInfo timeZone)
    {
        if (HasOffset)
        {
            return new DateTimeOffset(Time, TimeSpan.Zero);
        }

        // A wall-clock time that falls in a spring-forward gap does not exist; it is read as the
        // standard-time offset, which is what the grid operators' files mean by it.
        var offset = timeZone.IsInvalidTime(Time) ? timeZone.BaseUtcOffset : timeZone.GetUtcOffset(Time);
        return new DateTimeOffset(DateTime.SpecifyKind(Time, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }
}
