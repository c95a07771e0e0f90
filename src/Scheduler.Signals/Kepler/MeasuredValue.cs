namespace Scheduler.Signals.Kepler;

/// <summary>A number read through Kepler, with how it was obtained.</summary>
/// <param name="Value">The value (watts, joules or a ratio, as the holder's name says).</param>
/// <param name="Quality">Measured or estimated.</param>
public readonly record struct MeasuredValue(double Value, ReadingQuality Quality)
{
    /// <summary>A value read whole from hardware counters.</summary>
    public static MeasuredValue Measured(double value) => new(value, ReadingQuality.Measured);

    /// <summary>The sum of two values: estimated if either is.</summary>
    public static MeasuredValue operator +(MeasuredValue left, MeasuredValue right) =>
        new(left.Value + right.Value, left.Quality == ReadingQuality.Measured && right.Quality == ReadingQuality.Measured ? ReadingQuality.Measured : ReadingQuality.Estimated);

    /// <summary>The sum of two values (the named form of <c>+</c>).</summary>
    public static MeasuredValue Add(MeasuredValue left, MeasuredValue right) => left + right;
}
