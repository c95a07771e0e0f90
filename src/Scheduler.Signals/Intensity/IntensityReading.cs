namespace Scheduler.Signals.Intensity;

/// <summary>One measured (actual) intensity value of a zone.</summary>
/// <param name="Time">The start of the period it covers (UTC).</param>
/// <param name="Duration">The length of that period.</param>
/// <param name="GramsPerKwh">The intensity, in gCO2eq/kWh.</param>
public readonly record struct IntensityReading(DateTimeOffset Time, TimeSpan Duration, double GramsPerKwh);
