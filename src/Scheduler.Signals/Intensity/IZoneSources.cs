namespace Scheduler.Signals.Intensity;

/// <summary>Which provider serves each zone.</summary>
public interface IZoneSources
{
    /// <summary>Every zone that has a source (configured zones and zones with a built-in profile).</summary>
    IReadOnlyCollection<string> Zones { get; }

    /// <summary>The provider of <paramref name="zone"/>.</summary>
    IIntensityProvider SourceOf(string zone);
}
