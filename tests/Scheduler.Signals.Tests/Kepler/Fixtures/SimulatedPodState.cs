namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>Where a <see cref="SimulatedPod"/> is in its life, as the next scrape sees it.</summary>
public enum SimulatedPodState
{
    /// <summary>Exported with <c>state="running"</c>; its counters grow.</summary>
    Running,

    /// <summary>Finished: exported once more with <c>state="terminated"</c> and its final counters, then gone.</summary>
    Terminated,

    /// <summary>No longer exported, as Kepler clears terminated workloads after one export.</summary>
    Gone,
}
