namespace Scheduler.Signals.Power;

/// <summary>What a node's GPU history says of one GPU's power, averaged over the node's devices.</summary>
/// <param name="Devices">GPUs with history.</param>
/// <param name="IdleWatts">The low quantile of each device's power, averaged: its draw with nothing running.</param>
/// <param name="ActiveWatts">The median power while busy, averaged over devices seen busy; <c>null</c> when none ever was.</param>
public sealed record GpuPowerFit(int Devices, double IdleWatts, double? ActiveWatts);
