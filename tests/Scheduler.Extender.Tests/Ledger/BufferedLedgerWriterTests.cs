using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Scheduler.Core.Accounting;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Ledger;

public class BufferedLedgerWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 14, 18, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly RecordingLedger _ledger = new();

    [Fact]
    public async Task Write_SeveralKinds_ReachTheLedgerInTheOrderQueued()
    {
        await using var writer = Writer();
        writer.RecordSubmission(Submission("uid-1"));
        writer.RecordPlan(new LedgerPlan("uid-1", Now, Now.AddHours(2), "DE", Now.AddHours(6), 100, 300, "held"));
        writer.RecordForecast(Now, [new IntensityPoint("DE", Now, 300)]);
        writer.RecordScores(Now, "ml", "a", Scores("n1", "n2"));
        writer.RecordScores(Now, "ml", "b", Scores("n3"));
        writer.RecordRunStart("uid-1", Now.AddHours(2), "DE", "n1");
        writer.RecordRunEnd("uid-1", Now.AddHours(3));
        writer.RecordActuals([new IntensityPoint("DE", Now, 310)]);
        writer.RecordCompletion(new LedgerCompletion("uid-1", Now.AddHours(4), "completed", null, null, null));

        await writer.StartAsync(CancellationToken.None);
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(
            [
                "submission uid-1",
                "plan uid-1",
                "forecast 2026-01-14T18:00:00.0000000+00:00 DE 2026-01-14T18:00Z..2026-01-14T18:00Z (1)",
                "samples ml/a:n1,n2 ml/b:n3", // consecutive sampled pods go in one call
                "runstart uid-1",
                "runend uid-1",
                "actuals DE 2026-01-14T18:00Z..2026-01-14T18:00Z (1)",
                "completion uid-1",
            ],
            _ledger.Written);
        Assert.Equal(0, writer.Length);
        Assert.Equal(1, Scrape().Value("carbon_ledger_writes_total{kind=\"scoring_samples\",outcome=\"ok\"}"));
    }

    [Fact]
    public async Task Write_LedgerDown_RetriedAtOnceThenAfterTheDelay_AndDeliveredInOrderOnceItIsBack()
    {
        var down = true;
        _ledger.Fail = _ => Volatile.Read(ref down) ? new IOException("connection refused") : null;
        await using var writer = Writer();
        writer.RecordSubmission(Submission("uid-1"));
        writer.RecordSubmission(Submission("uid-2"));
        await writer.StartAsync(CancellationToken.None);

        // The first failure is tried again at once, without the clock moving; the second waits for the delay.
        await Until(() => Scrape().Value("carbon_ledger_writes_total{kind=\"submission\",outcome=\"failed\"}") >= 2);
        Assert.Equal(["submission uid-1", "submission uid-1"], _ledger.Attempts);
        Volatile.Write(ref down, false);
        var waited = await AdvanceUntil(() => !_ledger.Written.IsEmpty);
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.InRange(waited, RetryDelay, RetryDelay + TimeSpan.FromSeconds(5));
        Assert.Equal(["submission uid-1", "submission uid-2"], _ledger.Written);
        Assert.Equal(2, Scrape().Value("carbon_ledger_writes_total{kind=\"submission\",outcome=\"failed\"}"));
        Assert.Equal(2, Scrape().Value("carbon_ledger_writes_total{kind=\"submission\",outcome=\"ok\"}"));
    }

    [Fact]
    public async Task Write_LedgerDownForLong_KeepsEverythingAndRetriesEveryDelay()
    {
        _ledger.Fail = _ => new IOException("connection refused");
        await using var writer = Writer();
        writer.RecordSubmission(Submission("uid-1"));
        await writer.StartAsync(CancellationToken.None);
        await Until(() => _ledger.Attempts.Count >= 2);

        for (var attempt = 3; attempt <= 5; attempt++)
        {
            await AdvanceUntil(() => _ledger.Attempts.Count >= attempt);
        }

        Assert.Empty(_ledger.Written);
        Assert.Equal(1, writer.Length);
        Assert.Equal(1, Scrape().Value("carbon_ledger_queue_length"));
    }

    [Fact]
    public async Task Enqueue_QueueFull_DropsTheOldestScoringSamplesFirstAndNeverJobFacts()
    {
        // Capacity 10 records, and a ledger that does not answer until released: everything waits in the queue.
        _ledger.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var writer = Writer(capacity: 10);
        writer.RecordSubmission(Submission("uid-0"));
        await writer.StartAsync(CancellationToken.None);
        await Until(() => _ledger.Attempts.Count == 1); // uid-0 is being written: it is never dropped

        writer.RecordScores(Now, "ml", "a", Scores("n1", "n2", "n3"));              // 4 records
        writer.RecordForecast(Now, [new IntensityPoint("DE", Now, 300), new IntensityPoint("DE", Now.AddHours(1), 310)]); // 6
        writer.RecordScores(Now, "ml", "b", Scores("n1", "n2", "n3"));              // 9
        writer.RecordSubmission(Submission("uid-1"));                               // 10
        writer.RecordScores(Now, "ml", "c", Scores("n1", "n2"));                    // 12: pod a goes
        writer.RecordPlan(new LedgerPlan("uid-1", Now, Now.AddHours(1), "DE", Now.AddHours(5), null, null, "held")); // 10
        for (var i = 2; i <= 11; i++)
        {
            writer.RecordSubmission(Submission($"uid-{i}"));                        // pods b and c go, then the forecast
        }

        Assert.Equal(13, writer.Length); // Job facts alone may take it past its capacity
        _ledger.Hold.SetResult();
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(
            ["submission uid-0", "submission uid-1", "plan uid-1", .. Enumerable.Range(2, 10).Select(i => $"submission uid-{i}")],
            _ledger.Written);
        var metrics = Scrape();
        Assert.Equal(8, metrics.Value("carbon_ledger_dropped_total{kind=\"scoring_samples\"}"));
        Assert.Equal(2, metrics.Value("carbon_ledger_dropped_total{kind=\"forecast\"}"));
        Assert.Equal(0, metrics.Value("carbon_ledger_dropped_total{kind=\"actuals\"}"));
        Assert.Null(metrics.Value("carbon_ledger_dropped_total{kind=\"submission\"}"));
    }

    [Fact]
    public async Task Enqueue_QueueFullOfSamples_KeepsTheNewestSamples()
    {
        await using var writer = Writer(capacity: 4);
        writer.RecordScores(Now, "ml", "a", Scores("n1", "n2"));
        writer.RecordScores(Now, "ml", "b", Scores("n1", "n2"));
        writer.RecordScores(Now, "ml", "c", Scores("n1", "n2"));

        await writer.StartAsync(CancellationToken.None);
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(["samples ml/b:n1,n2 ml/c:n1,n2"], _ledger.Written);
    }

    [Fact]
    public async Task Write_LedgerRejectsTheRecord_DroppedAndTheNextOneWritten()
    {
        await using var writer = Writer();
        writer.RecordSubmission(Submission(" ")); // the ledger refuses a blank uid: trying again cannot help
        writer.RecordSubmission(Submission("uid-1"));

        await writer.StartAsync(CancellationToken.None);
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(["submission uid-1"], _ledger.Written);
        Assert.Equal(1, Scrape().Value("carbon_ledger_writes_total{kind=\"submission\",outcome=\"rejected\"}"));
    }

    [Fact]
    public async Task CompletionWritten_RaisedOnceTheCompletionIsWritten_NotWhileItFails_AndAFaultyHandlerDoesNotFailTheWrite()
    {
        var down = true;
        _ledger.Fail = call => Volatile.Read(ref down) && call.StartsWith("completion", StringComparison.Ordinal) ? new IOException("connection refused") : null;
        await using var writer = Writer();
        IJobLedger jobs = writer; // the deferral controller's port
        var raised = new System.Collections.Concurrent.ConcurrentQueue<string>();
        writer.CompletionWritten += (_, completion) => raised.Enqueue($"{completion.Uid} written: {_ledger.WrittenOf("completion").Count}");
        writer.CompletionWritten += (_, _) => throw new InvalidOperationException("a faulty handler");
        jobs.RecordSubmission(Submission("uid-1"));
        jobs.RecordCompletion(new LedgerCompletion("uid-1", Now.AddHours(1), "completed", new JobEnergy(3.6e6, 0, EnergySource.Measured), null, null));
        await writer.StartAsync(CancellationToken.None);

        await Until(() => _ledger.Attempts.Count >= 3);
        Assert.Empty(raised);
        Volatile.Write(ref down, false);
        await AdvanceUntil(() => !raised.IsEmpty);
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(["uid-1 written: 1"], raised);
        Assert.Equal(1, Scrape().Value("carbon_ledger_writes_total{kind=\"completion\",outcome=\"ok\"}"));
        Assert.Equal(["submission uid-1", "completion uid-1"], _ledger.Written);
    }

    [Fact]
    public async Task Write_StoreNotReady_WritesNothingUntilItIs()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var writer = Writer(whenReady: token => ready.Task.WaitAsync(token));
        writer.RecordSubmission(Submission("uid-1"));
        await writer.StartAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.Empty(_ledger.Attempts);

        ready.SetResult();
        await writer.WhenEmptyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(["submission uid-1"], _ledger.Written);
    }

    [Fact]
    public async Task Stop_RecordsQueued_FlushesThem()
    {
        _ledger.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = Writer();
        await writer.StartAsync(CancellationToken.None);
        writer.RecordSubmission(Submission("uid-1"));
        writer.RecordSubmission(Submission("uid-2"));
        await Until(() => _ledger.Attempts.Count == 1);

        var stopping = writer.StoppedAsync(CancellationToken.None);
        _ledger.Hold.SetResult();
        await stopping.WaitAsync(Patience);

        Assert.Equal(["submission uid-1", "submission uid-2"], _ledger.Written);
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Stop_LedgerDown_GivesUpAfterTheFlushTimeout()
    {
        _ledger.Fail = _ => new IOException("connection refused");
        var writer = Writer();
        await writer.StartAsync(CancellationToken.None);
        writer.RecordSubmission(Submission("uid-1"));
        await Until(() => _ledger.Attempts.Count >= 2);

        var stopping = writer.StoppedAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(Patience);

        Assert.Equal(1, writer.Length);
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Host_AServiceRecordsWhileItStops_TheWriterFlushesItAfterEveryServiceStopped()
    {
        // The recorder is registered first, so the host stops it last: after the writer's StopAsync. What it records
        // then is still written, because the writer flushes once every service has stopped.
        var writer = Writer();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedService(_ => new RecordsWhenStopping(writer));
        builder.Services.AddHostedService(_ => writer);
        using var host = builder.Build();
        await host.StartAsync();

        await host.StopAsync().WaitAsync(Patience);

        Assert.Equal(["completion uid-late"], _ledger.Written);
        await writer.DisposeAsync();
    }

    private static LedgerSubmission Submission(string uid) =>
        new(uid, "Job", "ml", "train", null, Now, null, TimeSpan.FromHours(1), ["DE"], Deferred: true);

    private static NodeScore[] Scores(params string[] nodes) =>
        [.. nodes.Select(n => new NodeScore(n, 7, new ScoreReason(ScoreOutcome.Scored, "DE", 300, "profile", 1, 50, PowerSource.HardwareModel, "test", 1, 15)))];

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the writer");
            await Task.Delay(5);
        }
    }

    private BufferedLedgerWriter Writer(int capacity = 1000, Func<CancellationToken, Task>? whenReady = null) =>
        new(
            _ledger,
            whenReady ?? (_ => Task.CompletedTask),
            capacity,
            RetryDelay,
            TimeSpan.FromSeconds(5),
            new LedgerMetrics(_registry),
            _time,
            NullLogger<BufferedLedgerWriter>.Instance);

    private sealed class RecordsWhenStopping(IJobLedger ledger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            ledger.RecordCompletion(new LedgerCompletion("uid-late", Now, "deleted", null, null, null));
            return Task.CompletedTask;
        }
    }

    // Moves the fake clock a second at a time until the condition holds; how far it moved. The writer's timer may
    // start a little after the last attempt, so the clock is only known to have moved at least the retry delay.
    private async Task<TimeSpan> AdvanceUntil(Func<bool> condition)
    {
        var moved = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the writer");
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(1));
            moved += TimeSpan.FromSeconds(1);
        }

        return moved;
    }

    private MetricsScrape Scrape()
    {
        using var stream = new MemoryStream();
        _registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return MetricsScrape.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
