using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>What a simulation ran on besides its jobs, as the output reports it.</summary>
/// <param name="Zones">The carbon zones, in the order given; per-zone figures follow it.</param>
/// <param name="Forecasts">How the forecasts are named: <c>perfect</c>, <c>noise 0.05 seed 1</c> or <c>issued</c>.</param>
/// <param name="Capacity">The room of each zone's cluster, or <c>null</c> when unbounded.</param>
/// <param name="Jobs">How many jobs were read.</param>
internal sealed record SimulationSetup(IReadOnlyList<string> Zones, string Forecasts, ClusterCapacity? Capacity, int Jobs);
