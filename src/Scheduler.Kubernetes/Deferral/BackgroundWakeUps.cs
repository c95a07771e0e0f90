using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>
/// Writes the wake-ups of a store that lives outside the process (Quartz on PostgreSQL) in the background, so that a
/// decision never waits for it. The decisions are made one at a time, and with the database down each Quartz call
/// retries for seconds (or waits out a connection timeout): every decision queued behind it, releases due now among
/// them, would wait too, and the in-process timers that fire on time would be of no use. The newest times asked for
/// a Job win; a write that fails is tried again (after the retry delay while writes keep failing), so the store
/// catches up once it is back.
/// </summary>
public sealed partial class BackgroundWakeUps : IWakeUps, IDisposable, IAsyncDisposable
{
    private readonly IWakeUps _store;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly ILogger<BackgroundWakeUps> _logger;
    private readonly Dictionary<JobKey, IReadOnlyList<DateTimeOffset>> _wanted = [];
    private readonly Channel<JobKey> _queue = Channel.CreateUnbounded<JobKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writing;
    private bool _failing;
    private int _disposed;

    /// <summary>Writes <paramref name="store"/>'s wake-ups in the background, retrying a failed write after <paramref name="retryDelay"/>.</summary>
    public BackgroundWakeUps(IWakeUps store, TimeSpan retryDelay, TimeProvider time, ILogger<BackgroundWakeUps> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryDelay, TimeSpan.Zero);
        _store = store;
        _retryDelay = retryDelay;
        _time = time;
        _logger = logger;
        _writing = Task.Run(() => WriteAsync(_stopping.Token));
    }

    /// <summary>The number of Jobs whose wake-ups are not written yet.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _wanted.Count;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Returns at once: the times are written by the background writer.</remarks>
    public Task ScheduleAsync(JobKey job, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(times);
        Want(job, [.. times], replace: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _queue.Writer.TryComplete();
            _writing.Wait();
            _stopping.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            _queue.Writer.TryComplete();
            await _writing.ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{_store} (written in the background)";

    // A Job is in the queue once however often it is asked for; the writer takes its newest times.
    private void Want(JobKey job, IReadOnlyList<DateTimeOffset> times, bool replace)
    {
        lock (_gate)
        {
            if (_wanted.ContainsKey(job))
            {
                if (replace)
                {
                    _wanted[job] = times;
                }

                return;
            }

            _wanted[job] = times;
        }

        _queue.Writer.TryWrite(job);
    }

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                IReadOnlyList<DateTimeOffset> times;
                lock (_gate)
                {
                    if (!_wanted.Remove(job, out times!))
                    {
                        continue;
                    }
                }

                try
                {
                    await _store.ScheduleAsync(job, times, stoppingToken).ConfigureAwait(false);
                    if (_failing)
                    {
                        _failing = false;
                        LogBack(_logger, _store, Pending);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Newer times asked for meanwhile win over these. One failure may be this Job's own (Quartz
                    // firing its trigger at that moment can deadlock with the delete), so the next write goes at
                    // once; a second failure in a row means the store is down, and the writer waits.
                    Want(job, times, replace: false);
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailing(_logger, e, _store, _retryDelay.TotalSeconds);
                        continue;
                    }

                    await Task.Delay(_retryDelay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the Jobs' annotations keep their plans, and the next start re-arms every wake-up from them.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Store} cannot be written; trying again every {RetrySeconds} s (the in-process wake-ups keep every deadline meanwhile)")]
    private static partial void LogFailing(ILogger logger, Exception exception, IWakeUps store, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Store} can be written again; {Pending} Jobs' wake-ups still to write")]
    private static partial void LogBack(ILogger logger, IWakeUps store, int pending);
}
