namespace Scheduler.Signals.Forecasting;

/// <summary>Settings of <see cref="HarmonicForecaster"/>.</summary>
public sealed class HarmonicForecastOptions
{
    /// <summary>How much history the seasonal shape is fitted on, in days. Default 14.</summary>
    public int FitDays { get; set; } = 14;

    /// <summary>Daily harmonics (sine and cosine pairs of 24 h, 12 h, 8 h, ...). Default 6.</summary>
    public int DailyHarmonics { get; set; } = 6;

    /// <summary>Weekly harmonics (pairs of 7 d, 3.5 d, ...). Default 2.</summary>
    public int WeeklyHarmonics { get; set; } = 2;

    /// <summary>The recent window whose mean departure from the fit sets the current level, in hours. Default 6.</summary>
    public double LevelWindowHours { get; set; } = 6;

    /// <summary>How fast that departure fades into the seasonal shape, as a time constant in hours. Default 24.</summary>
    public double LevelDecayHours { get; set; } = 24;

    /// <summary>
    /// Weight (0..1) of the "same time on the latest days" estimate blended with the harmonic fit.
    /// Where the daily pattern repeats closely (solar-heavy or nuclear grids) it carries the detail the
    /// harmonics smooth away; the blend beats either alone on the 2025 grids. Default 0.4.
    /// </summary>
    public double RecentDaysWeight { get; set; } = 0.4;

    /// <summary>How many latest days the "same time" estimate averages. Default 1.</summary>
    public int RecentDays { get; set; } = 1;

    /// <summary>The forecast's step, in minutes. Default 30.</summary>
    public int StepMinutes { get; set; } = 30;

    /// <summary>The fewest days of history that make a fit worth trusting. Default 3.</summary>
    public double MinimumHistoryDays { get; set; } = 3;
}
