using System.Threading.Channels;
using k8s;
using Microsoft.Extensions.Logging;
using Scheduler.Core.Accounting;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Kubernetes.Ledger;

/// <summary>
/// Records the completions of finished Jobs and bare Pods with the energy they used, off the decision path: a
/// completion is queued, and <see cref="Concurrency"/> workers list each Job's pods and ask the
/// <see cref="IJobEnergyMeter"/> (which may query Prometheus for a while). An attempt that fails (the API server or
/// the meter unreachable, or slower than <see cref="AttemptTimeout"/>) is tried again after 10 s, 30 s and 90 s; after
/// <see cref="MaxAttempts"/>, or when the meter has no figure, or no pod of the Job is left to measure, the
/// completion is recorded without its energy. On disposal, what is still queued or being measured is recorded
/// without its energy. The completion of a Job never held (<see cref="PendingCompletion.Run"/>) comes with its run,
/// recorded just before it, in the zone of the node its first pod ran on (<see cref="UnheldRun.ZoneOf"/>).
/// </summary>
internal sealed partial class CompletionMeasurements : IAsyncDisposable, IDisposable
{
    /// <summary>How many completions are measured at once.</summary>
    public const int Concurrency = 4;

    /// <summary>How many times a completion's measurement is attempted.</summary>
    public const int MaxAttempts = 4;

    /// <summary>The wait before the second attempt; each later wait is three times the one before.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>The longest one attempt (listing the pods and measuring them) may take.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(2);

    private readonly IKubernetes _client;
    private readonly IJobLedger _ledger;
    private readonly IJobEnergyMeter _meter;
    private readonly IReadOnlyList<string> _gpuResources;
    private readonly INodeCache? _nodes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingCompletion> _queue = Channel.CreateUnbounded<PendingCompletion>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private int _pending;
    private int _disposed;

    /// <summary>Starts the workers.</summary>
    public CompletionMeasurements(IKubernetes client, IJobLedger ledger, IJobEnergyMeter meter, IReadOnlyList<string> gpuResources, TimeProvider time, ILogger logger, INodeCache? nodes = null)
    {
        _nodes = nodes;
        _client = client;
        _ledger = ledger;
        _meter = meter;
        _gpuResources = gpuResources;
        _time = time;
        _logger = logger;
        _workers = [.. Enumerable.Range(0, Concurrency).Select(_ => Task.Run(() => WorkAsync(_stopping.Token)))];
    }

    /// <summary>The completions queued or being measured, not yet recorded.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="completion"/>; returns at once.</summary>
    public void Enqueue(PendingCompletion completion)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(completion))
        {
            // Disposed meanwhile: no worker will take it.
            Record(completion, null, null);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var left))
        {
            Record(left, null, null);
        }

        _stopping.Dispose();
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                if (_queue.Reader.TryRead(out var completion))
                {
                    var (energy, workload) = await MeasureAsync(completion, stopping).ConfigureAwait(false);
                    Record(completion, energy, workload);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: what is left in the queue is recorded without its energy.
        }
    }

    // The energy, or null when there is none to be had (then the completion is recorded without it); and the pods, when listed.
    private async Task<(MeteredEnergy? Energy, FinishedWorkload? Workload)> MeasureAsync(PendingCompletion completion, CancellationToken stopping)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
                var workload = await WorkloadOfAsync(completion, linked.Token).ConfigureAwait(false);
                if (workload is null)
                {
                    LogNoPods(_logger, completion.Kind, completion.Namespace, completion.Name);
                    return (null, null);
                }

                var energy = await _meter.MeasureAsync(workload, linked.Token).ConfigureAwait(false);
                if (energy is null)
                {
                    LogNoEnergy(_logger, completion.Kind, completion.Namespace, completion.Name);
                }

                return (energy, workload);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts)
                {
                    LogGaveUp(_logger, e, completion.Kind, completion.Namespace, completion.Name, attempt);
                    return (null, null);
                }

                LogRetrying(_logger, e, completion.Kind, completion.Namespace, completion.Name, delay.TotalSeconds);
            }
            catch (Exception)
            {
                // Stopping: recorded without its energy.
                return (null, null);
            }

            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (null, null);
            }

            delay *= 3;
        }
    }

    // The pods that ran it, from the earliest start any of them (or the object) tells to its end; null when no pod is left.
    private async Task<FinishedWorkload?> WorkloadOfAsync(PendingCompletion completion, CancellationToken cancellationToken)
    {
        var pods = completion.Pods
            ?? [.. (await JobPods.ListAsync(_client, completion.Namespace, completion.Name, completion.Uid, cancellationToken).ConfigureAwait(false)).Select(p => p.ToWorkloadPod(_gpuResources))];
        if (pods.Count == 0)
        {
            return null;
        }

        var from = pods.Select(p => p.Started).Where(t => t is not null).Min() ?? completion.Started ?? completion.At;
        return new FinishedWorkload(completion.Namespace, completion.Name, pods, from < completion.At ? from : completion.At, completion.At);
    }

    private void Record(PendingCompletion completion, MeteredEnergy? energy, FinishedWorkload? workload)
    {
        try
        {
            if (completion.Run is { } run)
            {
                RecordRun(completion, run, workload);
            }

            _ledger.RecordCompletion(new LedgerCompletion(completion.Uid, completion.At, completion.Outcome, energy?.Energy, Holding: null, energy?.EmbodiedGrams));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The ledger promises never to throw; should it, the controller goes on regardless.
            LogRecordFailed(_logger, e, completion.Kind, completion.Namespace, completion.Name);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    // The run of a Job never held: from its start to its completion (which ends it), where its first pod ran.
    private void RecordRun(PendingCompletion completion, UnheldRun run, FinishedWorkload? workload)
    {
        var first = workload?.Pods.Where(p => !string.IsNullOrEmpty(p.Node)).OrderBy(p => p.Started ?? DateTimeOffset.MaxValue).FirstOrDefault();
        var nodeZone = first?.Node is { } node ? _nodes?.Find(node)?.Zone : null;
        var start = run.Start ?? workload?.From ?? completion.At;
        if (run.ZoneOf(nodeZone) is { } zone)
        {
            _ledger.RecordRunStart(completion.Uid, start < completion.At ? start : completion.At, zone, first?.Node);
        }
        else
        {
            LogNoRunZone(_logger, completion.Kind, completion.Namespace, completion.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No zone is known for the run of {Kind} {Namespace}/{Name}, never held (no candidate zone, no known node): its run is not recorded in the carbon ledger")]
    private static partial void LogNoRunZone(ILogger logger, WorkloadKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Namespace}/{Name} finished with no pod left to measure; its completion is recorded without energy")]
    private static partial void LogNoPods(ILogger logger, WorkloadKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The energy of {Kind} {Namespace}/{Name} can be neither measured nor estimated; its completion is recorded without it")]
    private static partial void LogNoEnergy(ILogger logger, WorkloadKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Measuring the energy of {Kind} {Namespace}/{Name} failed; trying again in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception exception, WorkloadKind kind, string @namespace, string name, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measuring the energy of {Kind} {Namespace}/{Name} failed {Attempts} times; its completion is recorded without energy")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, WorkloadKind kind, string @namespace, string name, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The carbon ledger refused the completion of {Kind} {Namespace}/{Name}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, WorkloadKind kind, string @namespace, string name);
}
