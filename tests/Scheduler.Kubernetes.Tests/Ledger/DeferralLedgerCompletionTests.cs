using System.Diagnostics;
using k8s.Models;
using NSubstitute;
using Scheduler.Core.Accounting;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Ledger;
using Scheduler.Kubernetes.Tests.Deferral;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>How the deferral controller records the end of the Jobs and Pods it handled, with their energy.</summary>
public class DeferralLedgerCompletionTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;
    private static readonly MeteredEnergy Energy = new(new JobEnergy(7_200_000, 1_800_000, EnergySource.Measured), 3.5);

    [Fact]
    public async Task Reconcile_CompletedJob_RecordsItsCompletionTimeAndTheEnergyOfItsOwnPods()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1).AddSeconds(3), T0.AddHours(2).AddSeconds(-5));

        // A pod left by an earlier Job of the same name: its labels name that Job's uid.
        var stray = TestPods.Pod("ml", "train-old4q");
        stray.Metadata.Labels = new Dictionary<string, string>
        {
            [JobPods.JobNameLabel] = "train",
            [JobPods.LegacyJobNameLabel] = "train",
            [JobPods.ControllerUidLabel] = "5b0e6a53-2f0e-4a5c-9d1e-0c3b8d4f7a21",
            [JobPods.LegacyControllerUidLabel] = "5b0e6a53-2f0e-4a5c-9d1e-0c3b8d4f7a21",
        };
        LedgerPods.Ran(stray, "fr-1", T0.AddHours(-3), T0.AddHours(-2));
        fixture.Server.AddPod(stray);

        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);
        fixture.Time.SetUtcNow(T0.AddHours(2).AddSeconds(20));
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Complete>(action);
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        var uid = fixture.Job(job).Metadata.Uid;
        Assert.Equal(new LedgerCompletion(uid, T0.AddHours(2), "completed", Energy.Energy, null, 3.5), ledger.Completions[0]);
        var workload = Assert.Single(meter.Calls);
        Assert.Equal(("ml", "train", T0.AddHours(1).AddSeconds(3), T0.AddHours(2)), (workload.Namespace, workload.Name, workload.From, workload.To));
        Assert.Equal(new WorkloadPod("train-x7k2p", "de-1", 2, 0, T0.AddHours(1).AddSeconds(3), T0.AddHours(2).AddSeconds(-5)), Assert.Single(workload.Pods));
    }

    [Fact]
    public async Task Reconcile_CompletedJob_DoesNotWaitForTheMeasurement()
    {
        var ledger = new RecordingJobLedger();
        var measured = new TaskCompletionSource<MeteredEnergy?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var meter = Substitute.For<IJobEnergyMeter>();
        meter.MeasureAsync(Arg.Any<FinishedWorkload>(), Arg.Any<CancellationToken>()).Returns(measured.Task);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1), T0.AddHours(2));
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Complete>(action);
        Assert.Equal("completed", fixture.Annotation(job, Scheduler.Core.Annotations.CarbonAnnotations.State));
        await Eventually.UntilAsync(() => meter.ReceivedCalls().Any(), "the meter is asked");
        Assert.Empty(ledger.Completions);

        measured.SetResult(Energy);
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded once measured");
        Assert.Equal(Energy.Energy, ledger.Completions[0].Energy);
    }

    [Fact]
    public async Task Reconcile_FailedJob_RecordsItFailedWhenItsFailedConditionWasSet()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-2", T0.AddHours(1), T0.AddHours(1.5), exitCode: 1);
        fixture.Time.SetUtcNow(T0.AddHours(1.5));
        fixture.Server.FailJob(job.Namespace, job.Name);
        fixture.Time.SetUtcNow(T0.AddHours(1.6));

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        var completion = ledger.Completions[0];
        Assert.Equal(("failed", T0.AddHours(1.5), Energy.Energy), (completion.Outcome, completion.At, completion.Energy));
        Assert.Equal("de-2", Assert.Single(Assert.Single(meter.Calls).Pods).Node);
    }

    [Fact]
    public async Task Reconcile_MeterFailsTwiceThenAnswers_RecordsTheCompletionWithItsEnergy()
    {
        var ledger = new RecordingJobLedger();
        var meter = new FakeEnergyMeter(
            _ => throw new HttpRequestException("Prometheus: connection refused"),
            _ => throw new TimeoutException("Prometheus did not answer"),
            _ => Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1), T0.AddHours(2));
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        await AdvanceUntilAsync(fixture, () => ledger.Completions.Count == 1, "the completion is recorded after two retries");

        Assert.Equal(3, meter.Calls.Count);
        Assert.Equal(Energy.Energy, ledger.Completions[0].Energy);
        Assert.Equal(T0.AddHours(2), ledger.Completions[0].At);
    }

    [Fact]
    public async Task Reconcile_MeterKeepsFailing_RecordsTheCompletionWithoutEnergyAfterTheLastAttempt()
    {
        var ledger = new RecordingJobLedger();
        var meter = new FakeEnergyMeter(_ => throw new HttpRequestException("Prometheus: connection refused"));
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1), T0.AddHours(2));
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        await AdvanceUntilAsync(fixture, () => ledger.Completions.Count == 1, "the completion is recorded after the last attempt");

        Assert.Equal(CompletionMeasurements.MaxAttempts, meter.Calls.Count);
        Assert.Equal(("completed", (JobEnergy?)null, (double?)null), (ledger.Completions[0].Outcome, ledger.Completions[0].Energy, ledger.Completions[0].EmbodiedGrams));
    }

    [Fact]
    public async Task Reconcile_MeterHasNoFigure_RecordsTheCompletionWithoutEnergyAtOnce()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(null);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1), T0.AddHours(2));
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        Assert.Null(ledger.Completions[0].Energy);
        Assert.Single(meter.Calls);
    }

    [Fact]
    public async Task Reconcile_WithoutAMeter_RecordsTheCompletionWithoutEnergyOnTheSpot()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        var job = await RunAsync(fixture, "train");
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.Equal(new LedgerCompletion(fixture.Job(job).Metadata.Uid, T0.AddHours(2), "completed", null, null, null), Assert.Single(ledger.Completions));
        Assert.Empty(fixture.Server.RequestsOf(ApiRequestKind.PodList));
    }

    [Fact]
    public async Task Reconcile_JobPodsWithTheOlderLabelsOnly_AreFoundByThem()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        var uid = fixture.Job(job).Metadata.Uid;

        // As a Job controller before Kubernetes 1.27 labels its pods.
        var pod = TestPods.Pod("ml", "train-k2v9d");
        pod.Metadata.Labels = new Dictionary<string, string> { [JobPods.LegacyJobNameLabel] = "train", [JobPods.LegacyControllerUidLabel] = uid };
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "train", Uid = uid, Controller = true, BlockOwnerDeletion = true }];
        LedgerPods.Ran(pod, "de-2", T0.AddHours(1), T0.AddHours(2));
        fixture.Server.AddPod(pod);
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        Assert.Equal("train-k2v9d", Assert.Single(Assert.Single(meter.Calls).Pods).Name);
    }

    [Fact]
    public async Task Reconcile_HeldJobDeleted_RecordsItDeletedWithoutEnergy()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        var watcher = fixture.NewJobWatcher();
        await watcher.ListAsync(CancellationToken.None);
        var leader = fixture.NewController(watcher);
        await leader.ReconcileAsync(job, CancellationToken.None);
        await watcher.ListAsync(CancellationToken.None);
        var uid = fixture.Job(job).Metadata.Uid;

        fixture.Time.SetUtcNow(T0.AddHours(3));
        fixture.Server.DeleteJob(job.Namespace, job.Name);
        await watcher.ListAsync(CancellationToken.None);
        var action = await leader.ReconcileAsync(job, CancellationToken.None);
        var again = await leader.ReconcileAsync(job, CancellationToken.None);

        Assert.Null(action);
        Assert.Null(again);
        Assert.Equal(new LedgerCompletion(uid, T0.AddHours(3), "deleted", null, null, null), Assert.Single(ledger.Completions));
        Assert.Empty(ledger.RunStarts);
        Assert.Empty(meter.Calls);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_JobDeletedAndCreatedAgainUnderItsName_RecordsTheFirstDeletedAndTheSecondSubmitted()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        var watcher = fixture.NewJobWatcher();
        var leader = fixture.NewController(watcher);
        await leader.ReconcileAsync(job, CancellationToken.None);
        await watcher.ListAsync(CancellationToken.None);
        var first = fixture.Job(job).Metadata.Uid;

        fixture.Server.DeleteJob(job.Namespace, job.Name);
        fixture.AddHeldJob("train", deadlineHour: 20);
        await watcher.ListAsync(CancellationToken.None);
        await leader.ReconcileAsync(job, CancellationToken.None);

        var second = fixture.Job(job).Metadata.Uid;
        Assert.NotEqual(first, second);
        Assert.Equal((first, "deleted"), (Assert.Single(ledger.Completions).Uid, ledger.Completions[0].Outcome));
        Assert.Equal([first, second], ledger.Submissions.Select(s => s.Uid).Distinct());
    }

    [Fact]
    public async Task Reconcile_CompletedBarePod_RecordsKindPodAndMeasuresThePodItself()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(5));
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        fixture.Server.UpdatePod(pod.Namespace, pod.Name, p => LedgerPods.Ran(p, "fr-1", T0.AddHours(5).AddSeconds(4), T0.AddHours(6)));
        fixture.Time.SetUtcNow(T0.AddHours(6).AddSeconds(30));
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Complete>(action);
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        var uid = fixture.Pod(pod).Metadata.Uid;
        Assert.All(ledger.Submissions, s => Assert.Equal((uid, "Pod", "render"), (s.Uid, s.Kind, s.Name)));
        Assert.Equal([new RecordingJobLedger.RunStart(uid, T0.AddHours(5), "FR", null)], ledger.RunStarts);
        Assert.Equal(new LedgerCompletion(uid, T0.AddHours(6), "completed", Energy.Energy, null, 3.5), ledger.Completions[0]);
        var workload = Assert.Single(meter.Calls);
        Assert.Equal((T0.AddHours(5).AddSeconds(4), T0.AddHours(6)), (workload.From, workload.To));
        Assert.Equal(new WorkloadPod("render", "fr-1", 1, 0, T0.AddHours(5).AddSeconds(4), T0.AddHours(6)), Assert.Single(workload.Pods));
        Assert.Empty(fixture.Server.RequestsOf(ApiRequestKind.PodList));
    }

    [Fact]
    public async Task Dispose_WithAMeasurementUnderWay_RecordsTheCompletionWithoutEnergy()
    {
        var ledger = new RecordingJobLedger();
        var meter = Substitute.For<IJobEnergyMeter>();
        meter.MeasureAsync(Arg.Any<FinishedWorkload>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.Delay(Timeout.InfiniteTimeSpan, call.Arg<CancellationToken>()).ContinueWith(_ => (MeteredEnergy?)null, TaskScheduler.Default));
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger, meter: meter);
        var job = await RunAsync(fixture, "train");
        LedgerPods.AddRan(fixture, job, "train-x7k2p", "de-1", T0.AddHours(1), T0.AddHours(2));
        fixture.Time.SetUtcNow(T0.AddHours(2));
        fixture.Server.CompleteJob(job.Namespace, job.Name);
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        await Eventually.UntilAsync(() => meter.ReceivedCalls().Any(), "the meter is asked");

        await fixture.Controller.DisposeAsync();

        Assert.Null(Assert.Single(ledger.Completions).Energy);
    }

    [Fact]
    public async Task Reconcile_FinishedDryRunJob_RecordsItsRunWhereItsFirstPodRanAndItsCompletionWithEnergyOnce()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] }, ledger, meter);
        var key = await AddDryRunJobAsync(fixture, "trial");
        fixture.Server.SetJobStatus(key.Namespace, key.Name, status => status.StartTime = T0.AddMinutes(1).UtcDateTime);
        LedgerPods.AddRan(fixture, key, "trial-a1", "fr-1", T0.AddMinutes(2), T0.AddHours(1));
        fixture.Time.SetUtcNow(T0.AddHours(1).AddMinutes(1));
        fixture.Server.CompleteJob(key.Namespace, key.Name);

        Assert.IsType<DeferralAction.Keep>(await fixture.Controller.ReconcileAsync(key, CancellationToken.None));
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        var uid = fixture.Job(key).Metadata.Uid;
        Assert.All(ledger.Submissions, s => Assert.False(s.Deferred));
        Assert.Equal(new RecordingJobLedger.RunStart(uid, T0.AddMinutes(1), "FR", "fr-1"), Assert.Single(ledger.RunStarts));
        Assert.Equal(new LedgerCompletion(uid, T0.AddHours(1).AddMinutes(1), "completed", Energy.Energy, null, 3.5), Assert.Single(ledger.Completions));
        Assert.Single(meter.Calls);

        // The run comes before the completion that ends it.
        Assert.True(ledger.Facts.ToList().IndexOf(ledger.RunStarts[0]) < ledger.Facts.ToList().IndexOf(ledger.Completions[0]));
    }

    [Fact]
    public async Task Reconcile_FinishedDryRunJobWithoutPodsLeft_RunsInItsFirstCandidateZoneFromItsStartTime()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] }, ledger, FakeEnergyMeter.Always(Energy));
        var key = await AddDryRunJobAsync(fixture, "trial");
        fixture.Server.SetJobStatus(key.Namespace, key.Name, status => status.StartTime = T0.AddMinutes(1).UtcDateTime);
        fixture.Time.SetUtcNow(T0.AddHours(1));
        fixture.Server.CompleteJob(key.Namespace, key.Name);

        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");

        var uid = fixture.Job(key).Metadata.Uid;
        Assert.Equal(new RecordingJobLedger.RunStart(uid, T0.AddMinutes(1), "DE", null), Assert.Single(ledger.RunStarts));
        Assert.Null(ledger.Completions[0].Energy);
    }

    [Fact]
    public async Task Reconcile_DryRunJobFinishedBeyondTheHorizon_RecordsNothingMore()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"], LedgerHorizonHours = 2 }, ledger, meter);
        var key = await AddDryRunJobAsync(fixture, "trial");
        fixture.Time.SetUtcNow(T0.AddHours(1));
        fixture.Server.CompleteJob(key.Namespace, key.Name);
        var before = ledger.Facts.Count;

        fixture.Time.SetUtcNow(T0.AddHours(3).AddSeconds(1));
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.Equal(before, ledger.Facts.Count);
        Assert.Empty(meter.Calls);
    }

    [Fact]
    public async Task Reconcile_RunningDryRunJob_RecordsNoRunYet()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] }, ledger, FakeEnergyMeter.Always(Energy));
        var key = await AddDryRunJobAsync(fixture, "trial");
        fixture.Server.SetJobStatus(key.Namespace, key.Name, status => status.StartTime = T0.AddMinutes(1).UtcDateTime);

        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.Empty(ledger.RunStarts);
        Assert.Empty(ledger.Completions);
    }

    [Fact]
    public void RecentUids_BeyondItsCapacity_ForgetsTheOldest()
    {
        var uids = new RecentUids(2);

        Assert.True(uids.Add("a"));
        Assert.False(uids.Add("a"));
        Assert.True(uids.Add("b"));
        Assert.True(uids.Add("c"));

        Assert.Equal(2, uids.Count);
        Assert.True(uids.Add("a"));
        Assert.False(uids.Add("c"));
    }

    // A Job in a dry-run namespace, created at T0, given its dry-run plan.
    private static async Task<JobKey> AddDryRunJobAsync(ControllerFixture fixture, string name)
    {
        fixture.Forecast("DE", h => h == 10 ? 100 : 400);
        fixture.Forecast("FR", _ => 500);
        var job = TestJobs.Job("ml", name, suspend: false, new Dictionary<string, string>
        {
            [Scheduler.Core.Annotations.CarbonAnnotations.Deadline] = "2026-11-24T18:00:00Z",
            [Scheduler.Core.Annotations.CarbonAnnotations.Duration] = "1h",
        });
        job.Metadata.CreationTimestamp = T0.UtcDateTime;
        fixture.Server.AddJob(job);
        var key = new JobKey("ml", name);
        Assert.IsType<DeferralAction.RecordDryRun>(await fixture.Controller.ReconcileAsync(key, CancellationToken.None));
        return key;
    }

    // A Job held at T0 and released at T0 + 1 h into DE (the only zone with a forecast is cleanest then).
    private static async Task<JobKey> RunAsync(ControllerFixture fixture, string name)
    {
        fixture.Forecast("DE", h => h == 1 ? 50 : 400);
        var job = fixture.AddHeldJob(name, deadlineHour: 18, duration: "1h");
        Assert.IsType<DeferralAction.Hold>(await fixture.Controller.ReconcileAsync(job, CancellationToken.None));
        fixture.Time.SetUtcNow(T0.AddHours(1));
        Assert.IsType<DeferralAction.Release>(await fixture.Controller.ReconcileAsync(job, CancellationToken.None));
        return job;
    }

    // Moves the fake clock on by a second at a time until the condition holds, so the measurements' back-off passes.
    private static async Task AdvanceUntilAsync(ControllerFixture fixture, Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Eventually.Timeout)
            {
                Assert.Fail($"Not true within {Eventually.Timeout.TotalSeconds:0} s: {what}");
            }

            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }
}
