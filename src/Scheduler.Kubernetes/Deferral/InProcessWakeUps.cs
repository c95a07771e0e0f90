namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Wake-ups on in-process timers (<see cref="TimeProvider"/>), which need nothing outside the process:
/// while it runs, the latest-safe-start wake-up fires even with the database and every provider down.
/// </summary>
public sealed class InProcessWakeUps(PendingJobs queue, TimeProvider time) : IWakeUps, IDisposable
{
    private readonly Dictionary<JobKey, List<ITimer>> _timers = [];
    private readonly Lock _gate = new();

    /// <summary>The number of Jobs with wake-ups.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task ScheduleAsync(JobKey job, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(times);
        var now = time.GetUtcNow();
        var timers = times.Select(at => time.CreateTimer(_ => queue.Enqueue(job), null, at > now ? at - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan)).ToList();
        List<ITimer>? old;
        lock (_gate)
        {
            _timers.Remove(job, out old);
            if (timers.Count > 0)
            {
                _timers[job] = timers;
            }
        }

        foreach (var timer in old ?? [])
        {
            timer.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _timers.Values.SelectMany(t => t))
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }
}
