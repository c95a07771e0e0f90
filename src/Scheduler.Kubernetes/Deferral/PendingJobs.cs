using System.Threading.Channels;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// The Jobs and Pods waiting to be decided on, each at most once in the queue however often it is asked
/// for (a watch event, a resync, a wake-up and a forecast refresh may all name it at once).
/// </summary>
public sealed class PendingJobs
{
    private readonly Channel<JobKey> _channel = Channel.CreateUnbounded<JobKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<JobKey> _pending = [];
    private readonly Lock _gate = new();

    /// <summary>The number of Jobs waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Asks for <paramref name="job"/> to be decided on.</summary>
    public void Enqueue(JobKey job)
    {
        lock (_gate)
        {
            if (!_pending.Add(job))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(job);
    }

    /// <summary>The next Job to decide on; it may be asked for again as soon as it is taken.</summary>
    public async ValueTask<JobKey> DequeueAsync(CancellationToken cancellationToken)
    {
        var job = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _pending.Remove(job);
        }

        return job;
    }
}
