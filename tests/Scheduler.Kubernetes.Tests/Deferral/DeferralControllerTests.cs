using System.Net;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class DeferralControllerTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;

    [Fact]
    public async Task Reconcile_HeldJob_WritesThePlanRecordsAnEventAndArmsItsWakeUps()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h is 10 or 11 ? 100 : 400);
        fixture.Forecast("FR", _ => 500);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);

        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Hold>(action);
        Assert.Equal("2026-11-24T10:00:00Z", fixture.Annotation(job, CarbonAnnotations.PlannedStart));
        Assert.Equal("DE", fixture.Annotation(job, CarbonAnnotations.PlannedZone));
        Assert.Equal("2026-11-24T15:30:00Z", fixture.Annotation(job, CarbonAnnotations.LatestStart));
        Assert.Equal("100", fixture.Annotation(job, CarbonAnnotations.ExpectedIntensity));
        Assert.True(fixture.Job(job).Spec.Suspend);
        Assert.StartsWith("held until 2026-11-24T10:00Z in DE", Assert.Single(fixture.Events("CarbonHeld")).Message, StringComparison.Ordinal);
        Assert.Equal(1, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_AtThePlannedStart_ReleasesIntoTheCleanerZoneWithItsNodeAffinity()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        Assert.Equal("FR", fixture.Annotation(job, CarbonAnnotations.PlannedZone));

        fixture.Time.SetUtcNow(T0.AddHours(5));
        await Eventually.UntilAsync(() => fixture.Pending.Count == 1, "the planned-start wake-up fires");
        var action = await fixture.Controller.ReconcileAsync(await fixture.Pending.DequeueAsync(CancellationToken.None), CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        var released = fixture.Job(job);
        Assert.False(released.Spec.Suspend);
        Assert.Equal("released", released.Metadata.Annotations[CarbonAnnotations.State]);
        var term = Assert.Single(released.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        var requirement = Assert.Single(term.MatchExpressions);
        Assert.Equal((NodeLabels.GridZone, "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["FR"], requirement.Values);
        Assert.Single(fixture.Events("CarbonReleased"));
    }

    [Fact]
    public async Task Reconcile_ZoneAffinityRefusedByTheApiServer_ReleasesTheJobWithoutIt()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(5));
        fixture.Server.FailNextRequests(ApiRequestKind.JobPatch, HttpStatusCode.UnprocessableEntity, reason: "Invalid", message: "Job.batch \"train\" is invalid: spec.template: Invalid value: field is immutable");

        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        var released = fixture.Job(job);
        Assert.False(released.Spec.Suspend);
        Assert.Null(released.Spec.Template.Spec.Affinity);
    }

    [Fact]
    public async Task Reconcile_TwoReplicasAtOnce_ReleaseTheJobOnlyOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(3));

        var other = fixture.NewController();
        var actions = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? fixture.Controller : other).ReconcileAsync(job, CancellationToken.None)));

        Assert.Single(actions, a => a is DeferralAction.Release);
        Assert.Single(fixture.Events("CarbonReleased"));
        Assert.False(fixture.Job(job).Spec.Suspend);
    }

    [Fact]
    public async Task Reconcile_PatchRefusedWithConflict_DecidesAgainOnTheJobAsItIsNow()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        fixture.Server.FailNextRequests(ApiRequestKind.JobPatch, HttpStatusCode.Conflict, reason: "Conflict", message: "Operation cannot be fulfilled on jobs.batch \"train\": the object has been modified; please apply your changes to the latest version and try again");

        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Hold>(action);
        Assert.Equal("2026-11-24T03:00:00Z", fixture.Annotation(job, CarbonAnnotations.PlannedStart));
        Assert.Equal(2, fixture.Server.RequestsOf(ApiRequestKind.JobGet).Count);
    }

    [Fact]
    public async Task Reconcile_FromAStaleWatchCache_IsRefusedAndDecidedAgainOnTheFreshJob()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        var watcher = new JobWatcher(fixture.Server.CreateClient(), fixture.Pending, Microsoft.Extensions.Options.Options.Create(new KubernetesOptions()), fixture.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<JobWatcher>.Instance);
        await watcher.ListAsync(CancellationToken.None);
        var controller = fixture.NewController(watcher);

        // The user releases the Job by hand after the cache was filled: the cached copy is stale.
        fixture.Server.UpdateJob(job.Namespace, job.Name, j => j.Spec.Suspend = false);
        var action = await controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.MarkReleased>(action);
        Assert.Equal("released", fixture.Annotation(job, CarbonAnnotations.State));
        Assert.Single(fixture.Server.RequestsOf(ApiRequestKind.JobGet));
    }

    [Fact]
    public async Task Reconcile_ProvidersDown_KeepsTheJobHeldUntilItsLatestSafeStart()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h is 10 or 11 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "2h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        var latest = DateTimeOffset.Parse(fixture.Annotation(job, CarbonAnnotations.LatestStart), System.Globalization.CultureInfo.InvariantCulture);

        // Every forecast gone, and the planned-start wake-up lost: only the latest-start one is left.
        fixture.Intensity.Remove("DE");
        fixture.Time.SetUtcNow(T0.AddHours(9));
        var kept = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        Assert.True(kept is DeferralAction.Keep, kept?.ToString());
        fixture.Time.SetUtcNow(latest);
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.False(fixture.Job(job).Spec.Suspend);
    }

    [Fact]
    public async Task Reconcile_JobDeletedWhileHeld_ForgetsItsWakeUps()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        Assert.Equal(1, fixture.WakeUps.Count);

        fixture.Server.DeleteJob(job.Namespace, job.Name);
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.Null(action);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_ReleaseNowAnnotationAddedByTheUser_ReleasesAtOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Server.UpdateJob(job.Namespace, job.Name, j => j.Metadata.Annotations[CarbonAnnotations.ReleaseNow] = "true");
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.False(fixture.Job(job).Spec.Suspend);
    }

    [Fact]
    public async Task Reconcile_HeldJobEditedIntoInvalidAnnotations_ReleasesItWithAWarning()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Server.UpdateJob(job.Namespace, job.Name, j => j.Metadata.Annotations[CarbonAnnotations.Duration] = "a while");
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.False(fixture.Job(job).Spec.Suspend);
        var warning = Assert.Single(fixture.Events("InvalidCarbonAnnotations"));
        Assert.Equal(("Warning", "Job"), (warning.Type, warning.InvolvedObject.Kind));
        Assert.Contains("carbon-aware.io/duration", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_InvalidAnnotations_WarnsOnceWithAnEvent()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var key = new JobKey("ml", "bad");
        var job = TestJobs.Job("ml", "bad", suspend: false, new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "eight hours" });
        fixture.Server.AddJob(job);

        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        var warning = Assert.Single(fixture.Events("InvalidCarbonAnnotations"));
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("carbon-aware.io/max-delay", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith(DeferralDecider.InvalidReasonPrefix, fixture.Annotation(key, CarbonAnnotations.Reason), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_DryRunNamespace_RecordsWhatItWouldDoAndNeverHolds()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] });
        fixture.Forecast("DE", h => h == 10 ? 100 : 400);
        fixture.Forecast("FR", _ => 500);
        var key = new JobKey("ml", "trial");
        var job = TestJobs.Job("ml", "trial", suspend: false, new Dictionary<string, string>
        {
            [CarbonAnnotations.Deadline] = "2026-11-24T18:00:00Z",
            [CarbonAnnotations.Duration] = "1h",
        });
        job.Metadata.CreationTimestamp = T0.UtcDateTime;
        fixture.Server.AddJob(job);

        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.Equal("dry run: would hold until 2026-11-24T10:00Z in DE, saving 75 % (100 against 400 gCO2eq/kWh)", fixture.Annotation(key, CarbonAnnotations.DryRunPlan));
        Assert.False(fixture.Job(key).Spec.Suspend);
        Assert.Single(fixture.Events("CarbonDryRun"));
    }

    [Fact]
    public async Task Reconcile_KueueJobAtItsStart_RemovesOnlyOurAdmissionGate()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 2 ? 50 : 400);
        var job = fixture.AddHeldJob(
            "queued",
            deadlineHour: 18,
            duration: "1h",
            extra: new Dictionary<string, string> { [KueueKeys.AdmissionGatedBy] = "team.example/approval,carbon-aware.io/deferral" },
            labels: new Dictionary<string, string> { [KueueKeys.QueueNameLabel] = "user-queue" });
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Time.SetUtcNow(T0.AddHours(2));
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.Equal("team.example/approval", fixture.Annotation(job, KueueKeys.AdmissionGatedBy));
        Assert.True(fixture.Job(job).Spec.Suspend);
    }

    [Fact]
    public async Task Reconcile_CompletedJob_IsRecordedCompletedAndForgotten()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 1 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(1));
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Server.CompleteJob(job.Namespace, job.Name);
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Complete>(action);
        Assert.Equal("completed", fixture.Annotation(job, CarbonAnnotations.State));
        Assert.Equal(0, fixture.WakeUps.Count);
    }
}
