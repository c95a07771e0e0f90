namespace Scheduler.Core.Power;

/// <summary>One reading of a cumulative energy counter.</summary>
/// <param name="At">When the reading was taken.</param>
/// <param name="Joules">The counter's value, in joules.</param>
public readonly record struct CounterSample(DateTimeOffset At, double Joules);
