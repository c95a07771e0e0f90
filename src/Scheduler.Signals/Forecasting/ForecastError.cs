namespace Scheduler.Signals.Forecasting;

/// <summary>How well one source has forecast one zone so far.</summary>
/// <param name="Zone">The zone.</param>
/// <param name="Source">The forecast's source.</param>
/// <param name="MeanAbsoluteErrorGramsPerKwh">The mean absolute error against later actuals.</param>
/// <param name="Count">How many actual values were scored.</param>
public sealed record ForecastError(string Zone, string Source, double MeanAbsoluteErrorGramsPerKwh, long Count);
