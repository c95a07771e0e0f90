namespace Scheduler.Signals.Prometheus;

/// <summary>One sample of a Prometheus series.</summary>
/// <param name="At">The sample's timestamp.</param>
/// <param name="Value">The sample's value (never NaN or infinite: those are dropped when read).</param>
public readonly record struct PromPoint(DateTimeOffset At, double Value);
