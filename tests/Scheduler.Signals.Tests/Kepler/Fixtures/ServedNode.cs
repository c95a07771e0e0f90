namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>A node's true cumulative energies when a scrape was served: never wrapped, never reset.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="PackageJoules">RAPL package energy since the simulation's first scrape.</param>
/// <param name="DramJoules">RAPL DRAM energy since the simulation's first scrape.</param>
/// <param name="GpuJoules">Each GPU's energy, in the order of <see cref="SimulatedNode.Gpus"/>.</param>
/// <param name="Pods">Every pod the node has had, with the state that scrape exported.</param>
public sealed record ServedNode(string Node, double PackageJoules, double DramJoules, IReadOnlyList<double> GpuJoules, IReadOnlyList<ServedPod> Pods)
{
    /// <summary>Package plus DRAM energy.</summary>
    public double CpuJoules => PackageJoules + DramJoules;

    /// <summary>The pod named <paramref name="name"/>.</summary>
    public ServedPod Pod(string name) => Pods.Single(p => p.Name == name);
}
