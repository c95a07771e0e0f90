using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the timers created on it (as <c>Task.Delay</c> and
/// <c>PeriodicTimer</c> do), so a test knows when the code under test waits, and for how long,
/// before it advances the time.
/// </summary>
public sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>The due time of every timer created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> TimerDueTimes => [.. _dueTimes];

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }
}
