namespace Scheduler.Signals.Kepler;

/// <summary>How a value was obtained, so that reports and scores can say how far to trust it.</summary>
public enum ReadingQuality
{
    /// <summary>Read from a hardware energy counter (RAPL, NVML) through Kepler, whole.</summary>
    Measured,

    /// <summary>
    /// Partly or wholly estimated: Kepler's own source is a model (legacy estimator, no RAPL), or a
    /// gap left by a Kepler restart or a dropped glitch was filled from the mean power around it.
    /// </summary>
    Estimated,
}
