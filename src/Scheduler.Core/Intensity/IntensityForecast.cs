namespace Scheduler.Core.Intensity;

/// <summary>A forecast (or profile-derived estimate) of one grid zone's carbon intensity.</summary>
/// <param name="Zone">The grid zone, e.g. an Electricity Maps zone id such as <c>DE</c>.</param>
/// <param name="Series">The forecast values.</param>
/// <param name="IssuedAt">When the forecast was made (UTC).</param>
/// <param name="Source">Where it came from, e.g. <c>profile</c> or <c>electricitymaps</c>; shown in score reasons.</param>
/// <param name="Signal">Whether the values are average or marginal intensity.</param>
public sealed record IntensityForecast(
    string Zone,
    IntensitySeries Series,
    DateTimeOffset IssuedAt,
    string Source,
    IntensitySignal Signal = IntensitySignal.Average);
