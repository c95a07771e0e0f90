namespace Scheduler.Core.Accounting;

/// <summary>
/// Measures what a finished Job used: Kepler's energy counters of its pods where there are any, else an
/// estimate from the hardware power models and the pods' requests, flagged as such.
/// </summary>
public interface IJobEnergyMeter
{
    /// <summary>The Job's energy and embodied share, or <c>null</c> when it can be neither measured nor estimated.</summary>
    Task<MeteredEnergy?> MeasureAsync(FinishedWorkload workload, CancellationToken cancellationToken);
}
