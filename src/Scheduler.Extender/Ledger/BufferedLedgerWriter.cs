using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scheduler.Core.Accounting;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Telemetry;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// Writes to the carbon ledger in the background, so that no caller (the deferral controller, <c>/prioritize</c>, the
/// intensity refresh) ever waits for the database. Records are queued in memory and written one write at a time, in
/// the order they were queued (consecutive scoring samples go in one call). A write that fails stays at the head of
/// the queue and is tried again: at once after the first failure (it may have been a one-off), then every retry
/// delay while writes keep failing, so the ledger catches up once the database is back. Every ledger write is
/// idempotent, so a write that failed after the database applied it does no harm when tried again.
/// </summary>
/// <remarks>
/// The queue holds at most <c>capacity</c> records (a Job fact, an intensity point or a node sample each). Beyond it
/// the oldest scoring samples are dropped first, then the oldest forecasts (re-issued anyway), then the oldest
/// actuals; submissions, plans, runs and completions are never dropped, so they alone may take the queue past its
/// capacity. A write the ledger rejects as invalid (an argument or data error) would fail forever: it is dropped,
/// logged and counted as <c>rejected</c>. Nothing is written before the schema is in place (<c>whenStoreReady</c>).
/// On stop the queue is given the flush timeout to drain; what is left then is lost, and logged.
/// It is the deferral controller's <see cref="IJobLedger"/>: every Job fact is queued and the call returns at once.
/// </remarks>
internal sealed partial class BufferedLedgerWriter : IJobLedger, IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>The most node samples written in one call (PostgreSQL's ledger writes this many rows per statement).</summary>
    public const int MaxSamplesPerWrite = PostgresLedger.RowsPerStatement;

    private readonly ILedger _ledger;
    private readonly Func<CancellationToken, Task> _whenStoreReady;
    private readonly int _capacity;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _flushTimeout;
    private readonly LedgerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<BufferedLedgerWriter> _logger;

    private readonly Lock _gate = new();

    // Guarded by _gate: every queued write in order, and the droppable ones by drop rank, oldest first.
    private readonly LinkedList<Entry> _queue = new();
    private readonly LinkedList<Entry>[] _droppable = [new(), new(), new()];
    private int _records;
    private bool _dropping;
    private TaskCompletionSource _empty = NewEmpty(completed: true);

    // Wakes the writer; one pending signal is enough, since the writer empties the queue before it waits again.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writing;
    private bool _failing;
    private int _disposed;

    /// <summary>Creates the writer; it writes once started (<see cref="StartAsync"/>), and accepts records before that.</summary>
    /// <param name="ledger">The ledger to write to.</param>
    /// <param name="whenStoreReady">Completes when the ledger's schema is in place (the migrations applied).</param>
    /// <param name="capacity">The most records queued before droppable ones are dropped; at least 1.</param>
    /// <param name="retryDelay">How long to wait before trying again while writes keep failing; positive.</param>
    /// <param name="flushTimeout">How long <see cref="StopAsync"/> waits for the queue to drain.</param>
    /// <param name="metrics">Where writes, drops and the queue length are counted.</param>
    /// <param name="time">The clock of the retry delay and the flush timeout.</param>
    /// <param name="logger">The log.</param>
    public BufferedLedgerWriter(
        ILedger ledger,
        Func<CancellationToken, Task> whenStoreReady,
        int capacity,
        TimeSpan retryDelay,
        TimeSpan flushTimeout,
        LedgerMetrics metrics,
        TimeProvider time,
        ILogger<BufferedLedgerWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(whenStoreReady);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(flushTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _ledger = ledger;
        _whenStoreReady = whenStoreReady;
        _capacity = capacity;
        _retryDelay = retryDelay;
        _flushTimeout = flushTimeout;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Raised on the writer's task each time a completion has been written to the ledger (not when it was queued, nor
    /// when the ledger rejected it), so that what reads it back finds it there. Handlers must return quickly; an
    /// exception they throw is logged and does not touch the write.
    /// </summary>
    public event EventHandler<LedgerCompletion>? CompletionWritten;

    /// <summary>The records not written yet, including those being written.</summary>
    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _records;
            }
        }
    }

    /// <summary>Queues a Job's (or bare Pod's) submission. Returns at once.</summary>
    public void RecordSubmission(LedgerSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Enqueue(LedgerWrite.Submission(submission));
    }

    /// <summary>Queues a plan. Returns at once.</summary>
    public void RecordPlan(LedgerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Enqueue(LedgerWrite.Plan(plan));
    }

    /// <summary>Queues the start (or resumption) of a run. Returns at once.</summary>
    public void RecordRunStart(string uid, DateTimeOffset start, string zone, string? node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        Enqueue(LedgerWrite.RunStart(uid, start, zone, node));
    }

    /// <summary>Queues the end of a Job's open run. Returns at once.</summary>
    public void RecordRunEnd(string uid, DateTimeOffset endedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        Enqueue(LedgerWrite.RunEnd(uid, endedAt));
    }

    /// <summary>Queues how a Job ended. Returns at once.</summary>
    public void RecordCompletion(LedgerCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Enqueue(LedgerWrite.Completion(completion));
    }

    /// <summary>Queues actual intensities (nothing when empty). Returns at once.</summary>
    public void RecordActuals(IReadOnlyList<IntensityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > 0)
        {
            Enqueue(LedgerWrite.Actuals(points));
        }
    }

    /// <summary>Queues one forecast issue (nothing when empty). Returns at once.</summary>
    public void RecordForecast(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > 0)
        {
            Enqueue(LedgerWrite.Forecast(issued, points));
        }
    }

    /// <summary>
    /// Queues a sample per node of one pod's scores. Returns at once: only a reference to <paramref name="scores"/> is
    /// kept (it must not change afterwards), and the samples and their reason text are made by the writer.
    /// </summary>
    public void RecordScores(DateTimeOffset at, string podNamespace, string pod, IReadOnlyList<NodeScore> scores)
    {
        ArgumentNullException.ThrowIfNull(podNamespace);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count > 0)
        {
            Enqueue(LedgerWrite.Scoring(new SampledScores(at, podNamespace, pod, scores)));
        }
    }

    /// <summary>Completes when every record queued so far has been written (or dropped).</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _empty.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writing ??= Task.Run(() => WriteAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>
    /// Nothing: the writer flushes in <see cref="StoppedAsync"/>, once every other service has stopped, so that what
    /// the controller and the energy measurements record while they stop is written too.
    /// </remarks>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>Waits up to the flush timeout (or until <paramref name="cancellationToken"/>) for the queue to drain.</remarks>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_writing is null)
        {
            return;
        }

        if (_flushTimeout > TimeSpan.Zero)
        {
            using var timeout = new CancellationTokenSource(_flushTimeout, _time);
            using var flush = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await WhenEmptyAsync(flush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Reported below.
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writing.ConfigureAwait(false);
        if (Length is var left and > 0)
        {
            LogUnwritten(_logger, left);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            if (_writing is not null)
            {
                await _writing.ConfigureAwait(false);
            }

            _stopping.Dispose();
        }
    }

    private static TaskCompletionSource NewEmpty(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    // A write the ledger refuses for what it holds, not for where it is: trying it again cannot help.
    private static bool IsPermanent(Exception exception) =>
        exception is ArgumentException
        || (exception is DbException { SqlState: { Length: 5 } state }
            && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal)));

    private void Enqueue(LedgerWrite write)
    {
        int length;
        List<(LedgerWriteKind Kind, int Records)>? dropped = null;
        var warn = false;
        lock (_gate)
        {
            var entry = new Entry(write);
            entry.Node = _queue.AddLast(entry);
            if (write.DropRank >= 0)
            {
                entry.RankNode = _droppable[write.DropRank].AddLast(entry);
            }

            if (_records == 0)
            {
                _empty = NewEmpty(completed: false);
            }

            _records += write.Records;
            while (_records > _capacity && DropOldest() is { } victim)
            {
                (dropped ??= []).Add((victim.Kind, victim.Records));
            }

            if (dropped is not null && !_dropping)
            {
                _dropping = warn = true;
            }

            length = _records;
        }

        _metrics.Queued(write.Kind, write.Records);
        _metrics.QueueLength(length);
        if (dropped is not null)
        {
            foreach (var (kind, records) in dropped)
            {
                _metrics.Dropped(kind, records);
            }

            if (warn)
            {
                LogDropping(_logger, _capacity);
            }
        }

        _wake.Writer.TryWrite(true);
    }

    // Guarded by _gate. The oldest write of the lowest drop rank that is not being written, removed.
    private LedgerWrite? DropOldest()
    {
        foreach (var rank in _droppable)
        {
            for (var node = rank.First; node is not null; node = node.Next)
            {
                if (!node.Value.Writing)
                {
                    Remove(node.Value);
                    return node.Value.Write;
                }
            }
        }

        return null;
    }

    // Guarded by _gate.
    private void Remove(Entry entry)
    {
        _queue.Remove(entry.Node!);
        if (entry.RankNode is { } rankNode)
        {
            _droppable[entry.Write.DropRank].Remove(rankNode);
        }

        _records -= entry.Write.Records;
        if (_records == 0)
        {
            _empty.TrySetResult();
            _dropping = false;
        }
    }

    // The next write, with the scoring writes right after it when it is one; marked as being written.
    private List<Entry>? Take()
    {
        lock (_gate)
        {
            var node = _queue.First;
            if (node is null)
            {
                return null;
            }

            var batch = new List<Entry> { node.Value };
            if (node.Value.Write.Kind == LedgerWriteKind.ScoringSamples)
            {
                var samples = node.Value.Write.Records;
                for (var next = node.Next; next is not null && next.Value.Write.Kind == LedgerWriteKind.ScoringSamples; next = next.Next)
                {
                    samples += next.Value.Write.Records;
                    if (samples > MaxSamplesPerWrite)
                    {
                        break;
                    }

                    batch.Add(next.Value);
                }
            }

            foreach (var entry in batch)
            {
                entry.Writing = true;
            }

            return batch;
        }
    }

    // The batch is done with (written, or rejected): out of the queue.
    private void Finish(List<Entry> batch)
    {
        int length;
        lock (_gate)
        {
            foreach (var entry in batch)
            {
                Remove(entry);
            }

            length = _records;
        }

        _metrics.QueueLength(length);
    }

    // The batch failed: it stays where it is, at the head, for the next attempt.
    private void KeepForRetry(List<Entry> batch)
    {
        lock (_gate)
        {
            foreach (var entry in batch)
            {
                entry.Writing = false;
            }
        }
    }

    private Task WriteBatchAsync(List<Entry> batch, CancellationToken cancellationToken) =>
        batch.Count == 1
            ? batch[0].Write.WriteAsync(_ledger, cancellationToken)
            : _ledger.RecordScoringSamplesAsync(LedgerWrite.Samples(batch.Select(e => e.Write.Scores!)), cancellationToken);

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _whenStoreReady(stoppingToken).ConfigureAwait(false);
            while (true)
            {
                if (Take() is not { } batch)
                {
                    await _wake.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var kind = batch[0].Write.Kind;
                try
                {
                    await WriteBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                    Finish(batch);
                    _metrics.Written(kind, batch.Sum(e => e.Write.Records));
                    if (batch[0].Write.Completed is { } completion)
                    {
                        OnCompletionWritten(completion);
                    }

                    if (_failing)
                    {
                        _failing = false;
                        LogBack(_logger, Length);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    KeepForRetry(batch);
                    throw;
                }
                catch (Exception e) when (IsPermanent(e))
                {
                    Finish(batch);
                    _metrics.Rejected(kind);
                    LogRejected(_logger, e, LedgerMetrics.Label(kind));
                }
                catch (Exception e)
                {
                    // The first failure is tried again at once: it may have been a dropped connection. A second in a
                    // row means the database is down, and the writer waits between attempts.
                    KeepForRetry(batch);
                    _metrics.Failed(kind);
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailing(_logger, e, _retryDelay.TotalSeconds);
                        continue;
                    }

                    await Task.Delay(_retryDelay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is reported by StopAsync.
        }
    }

    // A handler's fault must not make a written completion count as a failed write, to be written again.
    private void OnCompletionWritten(LedgerCompletion completion)
    {
        try
        {
            CompletionWritten?.Invoke(this, completion);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, e, completion.Uid);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling the written completion of {Uid} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string uid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The carbon ledger cannot be written; records are kept in memory and tried again every {RetrySeconds} s")]
    private static partial void LogFailing(ILogger logger, Exception exception, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The carbon ledger can be written again; {Pending} records still to write")]
    private static partial void LogBack(ILogger logger, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The carbon ledger queue is full ({Capacity} records): dropping the oldest scoring samples (then forecasts, then actuals) until it drains; see carbon_ledger_dropped_total")]
    private static partial void LogDropping(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "The carbon ledger rejected a {Kind} write as invalid; it is dropped")]
    private static partial void LogRejected(ILogger logger, Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Records} carbon ledger records not written")]
    private static partial void LogUnwritten(ILogger logger, int records);

    private sealed class Entry(LedgerWrite write)
    {
        public LedgerWrite Write { get; } = write;

        public LinkedListNode<Entry>? Node { get; set; }

        public LinkedListNode<Entry>? RankNode { get; set; }

        public bool Writing { get; set; }
    }
}
