namespace Scheduler.Core.Power;

/// <summary>What is known of a counter's behaviour, to tell a wrap from a restart and a spike from real energy.</summary>
/// <param name="WrapJoules">
/// The value at which the counter wraps to zero (a RAPL counter's <c>max_energy_range_uj</c>), or
/// <c>null</c> for counters that never wrap (those accumulated by Kepler itself).
/// </param>
/// <param name="MaxWatts">
/// The highest power the counted device can draw. A step that implies more is a glitch, not energy.
/// </param>
public sealed record CounterRules(double? WrapJoules, double MaxWatts);
