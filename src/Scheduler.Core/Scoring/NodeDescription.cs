using Scheduler.Core.Power;

namespace Scheduler.Core.Scoring;

/// <summary>What the scorer knows of a node.</summary>
/// <param name="Name">The node name.</param>
/// <param name="Zone">The grid zone whose electricity the node uses, or <c>null</c> when unknown.</param>
/// <param name="Power">The node's power profile.</param>
public sealed record NodeDescription(string Name, string? Zone, NodePowerProfile Power);
