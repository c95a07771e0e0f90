namespace Scheduler.Core.Planning;

/// <summary>The run of an interruptible job: the forecast steps it runs in, merged into chunks.</summary>
/// <param name="Chunks">The chunks in time order.</param>
/// <param name="MeanIntensityGramsPerKwh">Mean forecast intensity over the chosen steps.</param>
/// <param name="IntensityIfNowGramsPerKwh">Mean intensity of an uninterrupted run from the earliest allowed start.</param>
public sealed record InterruptiblePlan(
    IReadOnlyList<RunChunk> Chunks,
    double MeanIntensityGramsPerKwh,
    double IntensityIfNowGramsPerKwh)
{
    /// <summary>The saving against starting at once, in percent.</summary>
    public double SavedPercent => IntensityIfNowGramsPerKwh > 0
        ? 100.0 * (IntensityIfNowGramsPerKwh - MeanIntensityGramsPerKwh) / IntensityIfNowGramsPerKwh
        : 0;

    /// <summary>How many times the run is suspended.</summary>
    public int Interruptions => Math.Max(0, Chunks.Count - 1);
}
