using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scheduler.Core.Accounting;
using Scheduler.Extender.Ledger;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Telemetry;

/// <summary>
/// Counts each Job in the savings metrics once its completion, with energy, has been written to the ledger: reads the
/// Job's entry back (the entries that completed within <see cref="Around"/> of it, the one with its uid) and the
/// recorded actual intensities of its zones from <see cref="Lookback"/> before its submission to its completion, and
/// accounts it with <see cref="EmissionsAccountant"/>, as the savings report does.
/// </summary>
/// <remarks>
/// Many providers publish actual intensities an hour or more after the fact, so a Job that has just completed is often
/// not covered yet. A Job the actuals do not cover (<see cref="AccountingStatus.NoIntensity"/>), or cover only in part
/// (the report would then average the covered part), waits and is tried again every <see cref="RetryInterval"/>
/// (30 min), for up to <see cref="GiveUpAfter"/> (24 h) after its completion was written; so does one whose entry or
/// actuals could not be read. At the last try a partly covered Job is counted as it stands, and one with no covering
/// actuals at all (a zone served by a built-in profile never has any) is left out and logged. At most
/// <see cref="MaxWaiting"/> Jobs wait; beyond that the one waiting longest is given up. A Job is counted once per
/// process (the last <see cref="MaxWaiting"/> uids counted are remembered), so a completion written again is not
/// counted twice; replicas count the completions each wrote.
/// </remarks>
internal sealed partial class SavingsAccountant : IHostedService, IAsyncDisposable
{
    /// <summary>How long a Job not yet covered by actual intensities waits before it is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(30);

    /// <summary>How long after its completion was written a Job is tried for at most.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>The entries read to find a Job: those that completed this close to it.</summary>
    public static readonly TimeSpan Around = TimeSpan.FromMinutes(1);

    /// <summary>How far before a Job's submission its zones' actuals are read: the step in force at submission starts before it.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(1);

    /// <summary>The most Jobs waiting for actual intensities, and the most uids remembered as counted.</summary>
    public const int MaxWaiting = 10_000;

    private readonly ILedger _ledger;
    private readonly BufferedLedgerWriter _writer;
    private readonly SavingsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SavingsAccountant> _logger;

    private readonly Lock _gate = new();

    // Guarded by _gate: the Jobs to try, by uid, and the uids counted lately (oldest first).
    private readonly Dictionary<string, PendingJob> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _counted = new(StringComparer.Ordinal);
    private readonly Queue<string> _countedOrder = new();
    private bool _full;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private int _disposed;

    public SavingsAccountant(ILedger ledger, BufferedLedgerWriter writer, SavingsMetrics metrics, TimeProvider time, ILogger<SavingsAccountant> logger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _ledger = ledger;
        _writer = writer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _writer.CompletionWritten += OnCompletionWritten;
    }

    /// <summary>The Jobs waiting to be accounted (for actual intensities, or for their first try).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _writer.CompletionWritten -= OnCompletionWritten;
            await _stopping.CancelAsync().ConfigureAwait(false);
            if (_running is not null)
            {
                await _running.ConfigureAwait(false);
            }

            _stopping.Dispose();
        }
    }

    private void OnCompletionWritten(object? sender, LedgerCompletion completion)
    {
        if (completion.Energy is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        string? dropped = null;
        lock (_gate)
        {
            if (_counted.Contains(completion.Uid) || _waiting.ContainsKey(completion.Uid))
            {
                return;
            }

            if (_waiting.Count >= MaxWaiting)
            {
                var oldest = _waiting.Values.MinBy(w => w.Written)!;
                _waiting.Remove(oldest.Uid);
                dropped = _full ? null : oldest.Uid;
                _full = true;
            }

            _waiting[completion.Uid] = new PendingJob(completion.Uid, completion.At, now, now);
        }

        if (dropped is not null)
        {
            LogFull(_logger, MaxWaiting, dropped);
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        Task<bool>? woken = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var job in Due(_time.GetUtcNow()))
            {
                await TryAsync(job, stoppingToken).ConfigureAwait(false);
            }

            // Sleep until a completion is written or the next Job is due.
            var next = NextDue();
            woken ??= _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = next is { } due
                ? Task.Delay(Max(due - _time.GetUtcNow(), TimeSpan.Zero), _time, sleep.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, sleep.Token);
            if (next is { } dueNow && dueNow <= _time.GetUtcNow())
            {
                // The clock moved on between being read and the delay being armed (a clock that jumps, as a test's
                // does): the delay then counts from the later time, and what is due now would be slept through.
                await sleep.CancelAsync().ConfigureAwait(false);
                continue;
            }

            await Task.WhenAny(woken, delay).ConfigureAwait(false);
            await sleep.CancelAsync().ConfigureAwait(false);
            if (woken.IsCompleted)
            {
                woken = null;
                _wake.Reader.TryRead(out _);
            }
        }
    }

    private List<PendingJob> Due(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _waiting.Values.Where(w => w.NextTry <= now).OrderBy(w => w.NextTry)];
        }
    }

    private DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            return _waiting.Count == 0 ? null : _waiting.Values.Min(w => w.NextTry);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task TryAsync(PendingJob job, CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var last = now + RetryInterval > job.Written + GiveUpAfter;
        JobEmissions? account = null;
        try
        {
            account = await AccountAsync(job, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogReadFailed(_logger, e, job.Uid);
        }

        var covered = account is { Status: AccountingStatus.Accounted, IntensityCoverage: >= 1 - 1e-9 };
        var done = account is not null && (covered || last || account.Status == AccountingStatus.NoEnergy);
        if (done && account!.Status == AccountingStatus.Accounted)
        {
            _metrics.Count(account);
        }
        else if (last)
        {
            LogGivenUp(_logger, job.Uid, GiveUpAfter.TotalHours, account is null ? "not read from the ledger" : account.Status == AccountingStatus.NoIntensity ? "covered by no recorded actual intensity" : "without energy or runs");
        }

        lock (_gate)
        {
            if (done || last)
            {
                _waiting.Remove(job.Uid);
                if (done && account!.Status == AccountingStatus.Accounted)
                {
                    Remember(job.Uid);
                }

                if (_waiting.Count < MaxWaiting)
                {
                    _full = false;
                }
            }
            else if (_waiting.ContainsKey(job.Uid))
            {
                _waiting[job.Uid] = job with { NextTry = now + RetryInterval };
            }
        }
    }

    // Guarded by _gate.
    private void Remember(string uid)
    {
        if (_counted.Add(uid))
        {
            _countedOrder.Enqueue(uid);
            if (_countedOrder.Count > MaxWaiting)
            {
                _counted.Remove(_countedOrder.Dequeue());
            }
        }
    }

    // The Job accounted on the actuals recorded so far; null when its entry is not (yet) in the ledger.
    private async Task<JobEmissions?> AccountAsync(PendingJob job, CancellationToken cancellationToken)
    {
        LedgerEntry? entry = null;
        await foreach (var candidate in _ledger.ReadEntriesAsync(new LedgerQuery(job.CompletedAt - Around, job.CompletedAt + Around), cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(candidate.Uid, job.Uid, StringComparison.Ordinal))
            {
                entry = candidate;
                break;
            }
        }

        if (entry is null)
        {
            return null;
        }

        if (entry.Energy is null || entry.Runs.Count == 0)
        {
            return JobEmissions.NotAccounted(entry, AccountingStatus.NoEnergy);
        }

        var zones = entry.CandidateZones.Concat(entry.Runs.Select(r => r.Zone));
        if (entry.Holding is { } holding)
        {
            zones = zones.Append(holding.Zone);
        }

        var end = entry.Completed ?? job.CompletedAt;
        var actuals = await _ledger.ReadActualsAsync([.. zones.Distinct(StringComparer.Ordinal)], entry.Submitted - Lookback, end, cancellationToken).ConfigureAwait(false);
        return EmissionsAccountant.Account(entry, IntensityHistory.From(actuals).Series);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Max} Jobs are waiting for actual intensities to be counted in the savings metrics; the one waiting longest ({Uid}) is given up, and so on while the list is full")]
    private static partial void LogFull(ILogger logger, int max, string uid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Uid} could not be read back from the carbon ledger for the savings metrics; it is tried again later")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string uid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Uid} is not counted in the savings metrics: after {Hours} h it is {Status}")]
    private static partial void LogGivenUp(ILogger logger, string uid, double hours, string status);

    private sealed record PendingJob(string Uid, DateTimeOffset CompletedAt, DateTimeOffset Written, DateTimeOffset NextTry);
}
