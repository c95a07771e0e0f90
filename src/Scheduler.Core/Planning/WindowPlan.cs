namespace Scheduler.Core.Planning;

/// <summary>The chosen run window of a job.</summary>
/// <param name="Start">When the job starts (UTC).</param>
/// <param name="End">When it is expected to finish (UTC).</param>
/// <param name="MeanIntensityGramsPerKwh">Time-weighted mean forecast intensity over the window.</param>
/// <param name="IntensityIfNowGramsPerKwh">Mean intensity over a run starting at the earliest allowed start, for comparison.</param>
public sealed record WindowPlan(
    DateTimeOffset Start,
    DateTimeOffset End,
    double MeanIntensityGramsPerKwh,
    double IntensityIfNowGramsPerKwh)
{
    /// <summary>The saving against starting at once, in percent (12.5 means 12.5 %).</summary>
    public double SavedPercent => IntensityIfNowGramsPerKwh > 0
        ? 100.0 * (IntensityIfNowGramsPerKwh - MeanIntensityGramsPerKwh) / IntensityIfNowGramsPerKwh
        : 0;
}
