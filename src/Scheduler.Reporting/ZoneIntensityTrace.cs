namespace Scheduler.Reporting;

/// <summary>One zone's recorded actual intensity over the period and the forecast issued ahead of it, averaged per stretch.</summary>
/// <param name="Zone">The zone.</param>
/// <param name="Actual">The mean recorded actual per stretch, gCO2eq/kWh.</param>
/// <param name="Forecast">The mean forecast per stretch, from forecasts issued at least <see cref="SavingsReportBuilder.ForecastLead"/> ahead.</param>
public sealed record ZoneIntensityTrace(
    string Zone,
    IReadOnlyList<(DateTimeOffset At, double GramsPerKwh)> Actual,
    IReadOnlyList<(DateTimeOffset At, double GramsPerKwh)> Forecast);
