using Scheduler.Core.Intensity;

namespace Scheduler.Core.Tests.Scoring;

/// <summary>Forecasts held in a dictionary, standing in for the intensity cache.</summary>
internal sealed class FixedForecasts : IForecastLookup
{
    private readonly Dictionary<string, IntensityForecast> _byZone = new(StringComparer.Ordinal);

    public static DateTimeOffset Start { get; } = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public FixedForecasts With(string zone, params double[] hourlyValues)
    {
        _byZone[zone] = new IntensityForecast(zone, new IntensitySeries(Start, TimeSpan.FromHours(1), hourlyValues), Start, "test");
        return this;
    }

    public IntensityForecast? Find(string zone) => _byZone.GetValueOrDefault(zone);
}
