namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>A pod's true energy when a scrape was served (never reset by a Kepler restart).</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's UID (<c>pod_id</c>).</param>
/// <param name="State">How that scrape exported it; <see cref="SimulatedPodState.Gone"/> if it was not exported.</param>
/// <param name="CpuJoules">The CPU energy it used since it was added.</param>
/// <param name="GpuJoules">The GPU energy it used since it was added.</param>
public sealed record ServedPod(string Namespace, string Name, string Uid, SimulatedPodState State, double CpuJoules, double GpuJoules);
