namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Wakes the controller for a Job or Pod at given times. A wake-up only means "decide on it again",
/// so a late, repeated or lost one does no harm by itself; the controller keeps two kinds (a
/// persistent store for restarts and failover, and in-process timers for when the store is down).
/// </summary>
public interface IWakeUps
{
    /// <summary>Replaces the wake-ups of <paramref name="job"/> with <paramref name="times"/> (none cancels them).</summary>
    Task ScheduleAsync(JobKey job, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken);
}
