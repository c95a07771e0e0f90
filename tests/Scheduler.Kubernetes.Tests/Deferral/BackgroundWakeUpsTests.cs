using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Core.Deferral;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class BackgroundWakeUpsTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(15);
    private static readonly JobKey First = new("ml", "first");
    private static readonly JobKey Second = new("ml", "second");

    [Fact]
    public async Task Schedule_StoreThatDoesNotAnswer_ReturnsAtOnceAndWritesWhenItAnswers()
    {
        var store = new RecordingStore();
        await using var wakeUps = new BackgroundWakeUps(store, RetryDelay, TimeProvider.System, NullLogger<BackgroundWakeUps>.Instance);

        var calls = new[] { wakeUps.ScheduleAsync(First, [T0], CancellationToken.None), wakeUps.ScheduleAsync(Second, [T0.AddHours(1)], CancellationToken.None) };

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        await Eventually.UntilAsync(() => store.Attempts == 1, "the first write reaches the store");
        store.Answer();
        await Eventually.UntilAsync(() => store.Written.Count == 2, "both Jobs are written");
        Assert.Equal([(First, [T0]), (Second, [T0.AddHours(1)])], store.Written.Select(w => (w.Job, w.Times.ToArray())));
    }

    [Fact]
    public async Task Schedule_JobAskedForAgainBeforeItIsWritten_WritesOnlyItsNewestTimes()
    {
        var store = new RecordingStore();
        await using var wakeUps = new BackgroundWakeUps(store, RetryDelay, TimeProvider.System, NullLogger<BackgroundWakeUps>.Instance);
        await wakeUps.ScheduleAsync(First, [T0], CancellationToken.None);
        await Eventually.UntilAsync(() => store.Attempts == 1, "the writer is busy with the first Job");

        await wakeUps.ScheduleAsync(Second, [T0.AddHours(1), T0.AddHours(5)], CancellationToken.None);
        await wakeUps.ScheduleAsync(Second, [], CancellationToken.None);
        Assert.Equal(1, wakeUps.Pending);
        store.Answer();

        await Eventually.UntilAsync(() => store.Written.Count == 2, "both Jobs are written");
        Assert.Equal(Second, store.Written[1].Job);
        Assert.Empty(store.Written[1].Times);
        Assert.Equal(0, wakeUps.Pending);
    }

    [Fact]
    public async Task Schedule_StoreDown_TriesAgainEveryRetryDelayUntilItIsBack()
    {
        var time = new FakeTimeProvider(T0);
        var store = new RecordingStore { Failures = 3 };
        store.Answer();
        await using var wakeUps = new BackgroundWakeUps(store, RetryDelay, time, NullLogger<BackgroundWakeUps>.Instance);

        await wakeUps.ScheduleAsync(First, [T0.AddHours(2)], CancellationToken.None);

        // The second failure in a row comes at once; from then on the writer waits on the fake clock, which is
        // moved on until each next attempt comes.
        await Eventually.UntilAsync(() => store.Attempts == 2 && wakeUps.Pending == 1, "two writes fail, and the Job is kept for later");
        for (var attempt = 3; attempt <= 4; attempt++)
        {
            var next = attempt;
            await Eventually.UntilAsync(() => { time.Advance(RetryDelay); return store.Attempts == next; }, $"attempt {attempt}, one retry delay later");
        }

        await Eventually.UntilAsync(() => store.Written.Count == 1, "the write goes through once the store is back");
        Assert.Equal(0, wakeUps.Pending);
    }

    [Fact]
    public async Task Schedule_OneJobsWriteFailsOnce_OtherJobsAreWrittenAtOnceAndItIsTriedAgain()
    {
        // The clock never moves: nothing here may wait for the retry delay.
        var time = new FakeTimeProvider(T0);
        var store = new RecordingStore { Failures = 1 };
        await using var wakeUps = new BackgroundWakeUps(store, RetryDelay, time, NullLogger<BackgroundWakeUps>.Instance);
        await wakeUps.ScheduleAsync(First, [], CancellationToken.None);
        await Eventually.UntilAsync(() => store.Attempts == 1, "the writer is busy with the first Job");
        await wakeUps.ScheduleAsync(Second, [T0.AddHours(1)], CancellationToken.None);

        store.Answer();

        await Eventually.UntilAsync(() => store.Written.Count == 2, "both Jobs are written without a retry delay");
        Assert.Equal([Second, First], store.Written.Select(w => w.Job));
        Assert.Equal(3, store.Attempts);
    }

    [Fact]
    public async Task Reconcile_PersistentStoreNotAnswering_HoldsAndReleasesEveryDueJobWithoutWaitingForIt()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);

        // As Quartz behaves with its database unreachable: every call waits (a connection timeout, retries).
        var store = new RecordingStore();
        await using var persistent = new BackgroundWakeUps(store, RetryDelay, fixture.Time, NullLogger<BackgroundWakeUps>.Instance);
        var controller = new DeferralController(
            fixture.Server.CreateClient(),
            fixture.Nodes,
            fixture.Intensity,
            new JobEvents(fixture.Server.CreateClient(), fixture.Time, NullLogger<JobEvents>.Instance),
            [fixture.WakeUps, persistent],
            null,
            Microsoft.Extensions.Options.Options.Create(fixture.Options),
            Microsoft.Extensions.Options.Options.Create(new ScoringOptions()),
            fixture.Time,
            NullLogger<DeferralController>.Instance);
        var jobs = Enumerable.Range(1, 5).Select(i => fixture.AddHeldJob($"train-{i}", deadlineHour: 18, duration: "1h")).ToList();

        foreach (var job in jobs)
        {
            Assert.IsType<DeferralAction.Hold>(await controller.ReconcileAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        fixture.Time.SetUtcNow(T0.AddHours(3));
        foreach (var job in jobs)
        {
            Assert.IsType<DeferralAction.Release>(await controller.ReconcileAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.False(fixture.Job(job).Spec.Suspend);
        }

        Assert.Equal(1, store.Attempts);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    // A store that answers only once told to (the first write waits until then), and fails its first writes when asked.
    private sealed class RecordingStore : IWakeUps
    {
        private readonly TaskCompletionSource _answering = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<(JobKey Job, IReadOnlyList<DateTimeOffset> Times)> _written = [];
        private int _attempts;

        public int Failures { get; init; }

        public int Attempts => Volatile.Read(ref _attempts);

        public IReadOnlyList<(JobKey Job, IReadOnlyList<DateTimeOffset> Times)> Written
        {
            get
            {
                lock (_gate)
                {
                    return [.. _written];
                }
            }
        }

        public void Answer() => _answering.TrySetResult();

        public async Task ScheduleAsync(JobKey job, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            await _answering.Task.WaitAsync(cancellationToken);
            if (attempt <= Failures)
            {
                throw new InvalidOperationException("Failed to obtain DB connection from data source 'default'");
            }

            lock (_gate)
            {
                _written.Add((job, times));
            }
        }
    }
}
