using Scheduler.Core.Power;

namespace Scheduler.Signals.Kepler;

/// <summary>How many counter wraps, exporter restarts and glitches were repaired in a reading.</summary>
/// <param name="Wraps">RAPL counters unwrapped.</param>
/// <param name="Resets">Counters that restarted from zero (Kepler restarted).</param>
/// <param name="Glitches">Implausible steps dropped.</param>
public readonly record struct CounterRepairs(int Wraps, int Resets, int Glitches)
{
    /// <summary>The repairs of one counter's increase.</summary>
    public static CounterRepairs Of(CounterIncrease increase)
    {
        ArgumentNullException.ThrowIfNull(increase);
        return new(increase.Wraps, increase.Resets, increase.Glitches);
    }

    /// <summary>Both sets of repairs together.</summary>
    public static CounterRepairs operator +(CounterRepairs left, CounterRepairs right) =>
        new(left.Wraps + right.Wraps, left.Resets + right.Resets, left.Glitches + right.Glitches);

    /// <summary>Both sets of repairs together (the named form of <c>+</c>).</summary>
    public static CounterRepairs Add(CounterRepairs left, CounterRepairs right) => left + right;
}
