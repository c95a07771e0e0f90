using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Core.Accounting;
using Scheduler.Core.Annotations;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Deferral;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>Jobs the extender placed without holding them: recorded into the ledger once they have finished.</summary>
public class PlacedJobLedgerTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;
    private static readonly MeteredEnergy Energy = new(new JobEnergy(3_600_000, 0, EnergySource.Measured), null);

    [Fact]
    public async Task RecordPlacedJob_FinishedOnTheCarbonAwareScheduler_RecordsItUnheldWithItsZonesCountedItsRunAndItsEnergyOnce()
    {
        var ledger = new RecordingJobLedger();
        var meter = FakeEnergyMeter.Always(Energy);
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true }, ledger, meter);
        var key = AddFinishedJob(fixture, "etl", "carbon-aware");
        LedgerPods.AddRan(fixture, key, "etl-a1", "fr-1", T0.AddMinutes(2), T0.AddHours(1));

        Assert.True(fixture.Controller.RecordPlacedJob(fixture.Job(key)));
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
        Assert.False(fixture.Controller.RecordPlacedJob(fixture.Job(key)));

        var uid = fixture.Job(key).Metadata.Uid;
        var submission = Assert.Single(ledger.Submissions);
        Assert.False(submission.Deferred);
        Assert.Null(submission.Deadline);
        Assert.Equal(["DE", "FR"], submission.CandidateZones);
        Assert.Equal([2, 1], submission.CandidateNodeCounts!);
        Assert.Empty(ledger.Plans);
        Assert.Equal(new RecordingJobLedger.RunStart(uid, T0.AddMinutes(1), "FR", "fr-1"), Assert.Single(ledger.RunStarts));
        Assert.Equal(new LedgerCompletion(uid, T0.AddHours(1), "completed", Energy.Energy, null, null), Assert.Single(ledger.Completions));
        Assert.Single(meter.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("default-scheduler")]
    [InlineData("volcano")]
    public async Task RecordPlacedJob_OnASchedulerThatDoesNotCallTheExtender_RecordsNothing(string? schedulerName)
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true }, ledger, FakeEnergyMeter.Always(Energy));
        var key = AddFinishedJob(fixture, "etl", schedulerName);

        Assert.False(fixture.Controller.RecordPlacedJob(fixture.Job(key)));
        Assert.Empty(ledger.Facts);
    }

    [Fact]
    public async Task RecordPlacedJob_DefaultSchedulerListed_RecordsAJobThatNamesNoScheduler()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, LedgerSchedulerNames = ["default-scheduler"] }, ledger, FakeEnergyMeter.Always(Energy));
        var key = AddFinishedJob(fixture, "etl", schedulerName: null);

        Assert.True(fixture.Controller.RecordPlacedJob(fixture.Job(key)));
        await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the completion is recorded");
    }

    [Fact]
    public async Task RecordPlacedJob_SwitchedOffOrWithCarbonAnnotationsOrBeyondTheHorizonOrRunning_RecordsNothing()
    {
        var ledger = new RecordingJobLedger();
        await using var off = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, LedgerPlacedJobs = false }, ledger, FakeEnergyMeter.Always(Energy));
        Assert.False(off.Controller.RecordPlacedJob(off.Job(AddFinishedJob(off, "etl", "carbon-aware"))));

        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, LedgerHorizonHours = 2 }, ledger, FakeEnergyMeter.Always(Energy));
        var annotated = AddFinishedJob(fixture, "held", "carbon-aware", new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "6h" });
        Assert.False(fixture.Controller.RecordPlacedJob(fixture.Job(annotated)));

        var running = TestJobs.Job("ml", "running", suspend: false);
        running.Spec.Template.Spec.SchedulerName = "carbon-aware";
        fixture.Server.AddJob(running);
        Assert.False(fixture.Controller.RecordPlacedJob(fixture.Job(new JobKey("ml", "running"))));

        var old = AddFinishedJob(fixture, "old", "carbon-aware");
        fixture.Time.SetUtcNow(T0.AddHours(3).AddSeconds(1));
        Assert.False(fixture.Controller.RecordPlacedJob(fixture.Job(old)));

        Assert.Empty(ledger.Facts);
    }

    [Fact]
    public async Task JobWatcher_UntrackedJobSeenFinished_IsHandedOnFromTheListAndFromTheWatch()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var listed = AddFinishedJob(fixture, "listed", "carbon-aware");
        var later = TestJobs.Job("ml", "later", suspend: false);
        fixture.Server.AddJob(later);
        fixture.AddHeldJob("held", deadlineHour: 18);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var watcher = fixture.NewJobWatcher();
        watcher.UntrackedJobFinished += (_, job) => seen.Enqueue(job.Metadata.Name);
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);
        try
        {
            await Eventually.UntilAsync(() => seen.Contains(listed.Name), "the finished Job listed is handed on");
            Assert.DoesNotContain("later", seen);

            fixture.Server.CompleteJob("ml", "later");
            await Eventually.UntilAsync(() => seen.Contains("later"), "the Job seen finishing is handed on");
            fixture.Server.CompleteJob("ml", "held");
            await Task.Delay(200);
            Assert.DoesNotContain("held", seen);
        }
        finally
        {
            await stop.CancelAsync();
            await watching.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Host_AsLeader_RecordsAPlacedJobOnceItHasFinished()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, LeaseNamespace = "carbon", LeaseDurationSeconds = 5 }, ledger, FakeEnergyMeter.Always(Energy));
        var client = fixture.Server.CreateClient();
        var watcher = new JobWatcher(client, fixture.Pending, Options.Create(new KubernetesOptions()), fixture.Time, NullLogger<JobWatcher>.Instance);
        using var host = new DeferralHost(client, watcher, fixture.Pending, fixture.NewController(watcher), fixture.Intensity, Options.Create(fixture.Options), fixture.Time, NullLogger<DeferralHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        try
        {
            var job = TestJobs.Job("ml", "nightly", suspend: false);
            job.Spec.Template.Spec.SchedulerName = "carbon-aware";
            job.Metadata.CreationTimestamp = T0.UtcDateTime;
            fixture.Server.AddJob(job);
            await Eventually.UntilAsync(() => host.IsLeader, "the host leads");
            Assert.Empty(ledger.Facts);

            fixture.Server.CompleteJob("ml", "nightly");

            await Eventually.UntilAsync(() => ledger.Completions.Count == 1, "the placed Job is recorded");
            Assert.False(Assert.Single(ledger.Submissions).Deferred);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    // A Job without carbon annotations for the scheduler named, created at T0, started at T0 + 1 min, complete at T0 + 1 h.
    private static JobKey AddFinishedJob(ControllerFixture fixture, string name, string? schedulerName, IDictionary<string, string>? annotations = null)
    {
        var job = TestJobs.Job("ml", name, suspend: false, annotations);
        job.Spec.Template.Spec.SchedulerName = schedulerName;
        job.Metadata.CreationTimestamp = T0.UtcDateTime;
        fixture.Server.AddJob(job);
        var key = new JobKey("ml", name);
        fixture.Server.SetJobStatus("ml", name, status => status.StartTime = T0.AddMinutes(1).UtcDateTime);
        fixture.Time.SetUtcNow(T0.AddHours(1));
        fixture.Server.CompleteJob("ml", name);
        return key;
    }
}
