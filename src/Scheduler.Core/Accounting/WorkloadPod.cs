namespace Scheduler.Core.Accounting;

/// <summary>One pod of a finished Job, as its energy is measured or estimated.</summary>
/// <param name="Name">The pod's name.</param>
/// <param name="Node">The node it ran on, when it was scheduled.</param>
/// <param name="CpuCores">The CPU cores it requested.</param>
/// <param name="Gpus">The GPUs it requested.</param>
/// <param name="Started">When it started running, when known.</param>
/// <param name="Finished">When it stopped, when known.</param>
public sealed record WorkloadPod(string Name, string? Node, double CpuCores, double Gpus, DateTimeOffset? Started, DateTimeOffset? Finished);
