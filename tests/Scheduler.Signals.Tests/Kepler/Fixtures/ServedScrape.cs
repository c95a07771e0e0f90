namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>One answer a <see cref="SimulatedKepler"/> rendered, with the true energies at that moment.</summary>
/// <param name="Sequence">1 for the first scrape served, then 2, 3, …</param>
/// <param name="RenderedAt">When it was rendered (UTC), by the simulation's clock.</param>
/// <param name="Nodes">Each node's true energies, in the order the nodes were added.</param>
/// <param name="Text">The exposition text served.</param>
public sealed record ServedScrape(int Sequence, DateTimeOffset RenderedAt, IReadOnlyList<ServedNode> Nodes, string Text)
{
    /// <summary>The node named <paramref name="name"/>.</summary>
    public ServedNode Node(string name) => Nodes.Single(n => n.Node == name);
}
