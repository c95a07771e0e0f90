namespace Scheduler.Core.Intensity;

/// <summary>What an intensity value measures.</summary>
public enum IntensitySignal
{
    /// <summary>Average (consumption or life-cycle) intensity of the grid mix.</summary>
    Average,

    /// <summary>Marginal intensity: the emissions of the generator that would answer extra demand (e.g. WattTime MOER).</summary>
    Marginal,
}
