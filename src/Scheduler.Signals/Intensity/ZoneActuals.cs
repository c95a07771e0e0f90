namespace Scheduler.Signals.Intensity;

/// <summary>Actual intensities of one zone, as a refresh read them from the zone's provider.</summary>
/// <param name="Zone">The zone.</param>
/// <param name="Provider">The name of the provider they came from (never the built-in profile, which has no actuals).</param>
/// <param name="Readings">The readings new to this refresh, oldest first; the last one may cover a step that has not ended yet.</param>
public sealed record ZoneActuals(string Zone, string Provider, IReadOnlyList<IntensityReading> Readings);
