namespace Scheduler.Core.Power;

/// <summary>The energy a counter counted over its samples, and what had to be repaired to know it.</summary>
/// <param name="MeasuredJoules">The energy read from the counter, in joules.</param>
/// <param name="EstimatedJoules">
/// The energy of the gaps a restart left (from the last reading before it to the restart, which the
/// new counter never saw), estimated from the power of the steps around each gap, in joules.
/// </param>
/// <param name="From">The first sample's time, or <c>null</c> without samples.</param>
/// <param name="To">The last sample's time, or <c>null</c> without samples.</param>
/// <param name="Wraps">Times the counter wrapped at its maximum and was unwrapped (nothing is lost).</param>
/// <param name="Resets">Times the counter restarted from zero (the exporter restarted).</param>
/// <param name="Glitches">Steps dropped because they implied more power than the device can draw.</param>
public sealed record CounterIncrease(
    double MeasuredJoules,
    double EstimatedJoules,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Wraps,
    int Resets,
    int Glitches)
{
    /// <summary>No samples, no energy.</summary>
    public static CounterIncrease None { get; } = new(0, 0, null, null, 0, 0, 0);

    /// <summary>The whole energy: measured plus the estimated gaps, in joules.</summary>
    public double Joules => MeasuredJoules + EstimatedJoules;

    /// <summary>The seconds between the first and the last sample.</summary>
    public double Seconds => From is { } from && To is { } to ? (to - from).TotalSeconds : 0;

    /// <summary>The mean power over the samples, in watts, or <c>null</c> when they span no time.</summary>
    public double? MeanWatts => Seconds > 0 ? Joules / Seconds : null;

    /// <summary>Whether every joule was read from the counter: no restart gap was filled and no glitch dropped.</summary>
    public bool IsMeasured => Resets == 0 && Glitches == 0;
}
