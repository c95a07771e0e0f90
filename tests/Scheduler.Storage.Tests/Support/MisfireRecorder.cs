using System.Collections.Concurrent;
using Quartz;

namespace Scheduler.Storage.Tests.Support;

/// <summary>A trigger listener that records which triggers Quartz declared misfired.</summary>
internal sealed class MisfireRecorder : ITriggerListener
{
    private readonly ConcurrentQueue<(TriggerKey Key, int Instruction)> _misfired = new();

    public string Name { get; } = "misfire-recorder-" + Guid.NewGuid().ToString("N");

    /// <summary>The misfired triggers with the misfire instruction they carried.</summary>
    public IReadOnlyList<(TriggerKey Key, int Instruction)> Misfired => [.. _misfired];

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        _misfired.Enqueue((trigger.Key, trigger.MisfireInstructionCode));
        return ValueTask.CompletedTask;
    }
}
