namespace Scheduler.Core.Intensity;

/// <summary>Finds the current forecast of a grid zone. Implementations answer from memory, never from I/O.</summary>
public interface IForecastLookup
{
    /// <summary>The newest forecast of <paramref name="zone"/>, or <c>null</c> when none is known.</summary>
    IntensityForecast? Find(string zone);
}
