namespace Scheduler.Core.Accounting;

/// <summary>Where a Job's energy figure comes from; reports flag every estimate as such.</summary>
public enum EnergySource
{
    /// <summary>Measured by Kepler: the increase of the Job's pods' energy counters over its runs.</summary>
    Measured,

    /// <summary>Estimated from the hardware power models and the Job's requests, because no measurement was available.</summary>
    Estimated,
}
