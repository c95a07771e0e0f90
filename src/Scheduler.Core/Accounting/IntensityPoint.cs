namespace Scheduler.Core.Accounting;

/// <summary>One recorded intensity of a zone: an actual value, or the forecast issued for that time.</summary>
/// <param name="Zone">The grid zone.</param>
/// <param name="At">The start of the step it holds for.</param>
/// <param name="GramsPerKwh">The intensity, gCO2eq/kWh.</param>
public sealed record IntensityPoint(string Zone, DateTimeOffset At, double GramsPerKwh);
