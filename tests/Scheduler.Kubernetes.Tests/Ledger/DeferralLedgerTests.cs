using Scheduler.Core.Accounting;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Deferral;
using Scheduler.Kubernetes.Tests.Fakes;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>What the deferral controller records into the carbon ledger as it holds, plans, releases and pauses.</summary>
public class DeferralLedgerTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;

    [Fact]
    public async Task Reconcile_HeldJob_RecordsItsSubmissionAndPlan()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h is 10 or 11 ? 100 : 400);
        fixture.Forecast("FR", _ => 500);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        fixture.Time.SetUtcNow(T0.AddMinutes(2));

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        var uid = fixture.Job(job).Metadata.Uid;
        var submission = Assert.Single(ledger.Submissions);
        Assert.Equal(
            (uid, "Job", "ml", "train", (string?)null, T0, (DateTimeOffset?)T0.AddHours(18), TimeSpan.FromHours(2), true),
            (submission.Uid, submission.Kind, submission.Namespace, submission.Name, submission.Team, submission.Submitted, submission.Deadline, submission.ExpectedDuration, submission.Deferred));
        Assert.Equal(["DE", "FR"], submission.CandidateZones);
        var plan = Assert.Single(ledger.Plans);
        Assert.Equal(new LedgerPlan(uid, T0.AddMinutes(2), T0.AddHours(10), "DE", T0.AddHours(15.5), 100, 400, fixture.Annotation(job, CarbonAnnotations.Reason)), plan);
        Assert.StartsWith("held until 2026-11-24T10:00Z in DE", plan.Reason, StringComparison.Ordinal);
        Assert.Empty(ledger.RunStarts);
        Assert.Empty(ledger.Completions);
    }

    [Fact]
    public async Task Reconcile_PlanMoved_RecordsASecondPlanAtTheTimeItWasMade()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h is 10 or 11 ? 100 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Time.SetUtcNow(T0.AddHours(1));
        fixture.Forecast("DE", h => h is 4 or 5 ? 20 : h is 10 or 11 ? 100 : 400);
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.True(action is DeferralAction.Hold { Moved: true }, action?.ToString());
        Assert.Equal([(T0, T0.AddHours(10)), (T0.AddHours(1), T0.AddHours(4))], ledger.Plans.Select(p => (p.At, p.PlannedStart)));
        Assert.Single(fixture.Events("CarbonPlanMoved"));
    }

    [Fact]
    public async Task Reconcile_AtThePlannedStart_RecordsOneRunStartInThePlannedZone()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        fixture.Time.SetUtcNow(T0.AddHours(5));
        var released = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(released);
        var uid = fixture.Job(job).Metadata.Uid;
        Assert.Equal([new RecordingJobLedger.RunStart(uid, T0.AddHours(5), "FR", null)], ledger.RunStarts);
        Assert.Single(ledger.Plans);

        // Decided on again once it runs (a resync, a watch event, another replica): no second run.
        fixture.Time.SetUtcNow(T0.AddHours(5).AddMinutes(10));
        var again = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        var other = await fixture.NewController().ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Keep>(again);
        Assert.IsType<DeferralAction.Keep>(other);
        Assert.Single(ledger.RunStarts);
        Assert.Single(ledger.Plans);
    }

    [Fact]
    public async Task Reconcile_TwoReplicasAtOnce_RecordTheFactsOfOneRelease()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        var other = fixture.NewController();
        await Task.WhenAll(fixture.Controller.ReconcileAsync(job, CancellationToken.None), other.ReconcileAsync(job, CancellationToken.None));
        fixture.Time.SetUtcNow(T0.AddHours(3));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? fixture.Controller : other).ReconcileAsync(job, CancellationToken.None)));

        var uid = fixture.Job(job).Metadata.Uid;
        Assert.Single(ledger.Plans);
        Assert.Equal([new RecordingJobLedger.RunStart(uid, T0.AddHours(3), "DE", null)], ledger.RunStarts);

        // Every submission sent (one per action carried out) is the same row: the times come from the Job.
        var rows = ledger.Rows();
        Assert.Equal(3, rows.Count);
        Assert.All(ledger.Submissions, s => Assert.Equal((T0, (DateTimeOffset?)T0.AddHours(18)), (s.Submitted, s.Deadline)));
    }

    [Fact]
    public async Task Reconcile_InterruptibleJob_RecordsARunEndAtItsPauseAndARunStartAtItsResumption()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h is 2 or 6 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "2h", extra: new Dictionary<string, string> { [CarbonAnnotations.Interruptible] = "true" });
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        var actions = new List<DeferralAction?>();
        foreach (var hour in new[] { 2, 3, 6 })
        {
            fixture.Time.SetUtcNow(T0.AddHours(hour));
            actions.Add(await fixture.Controller.ReconcileAsync(job, CancellationToken.None));
        }

        Assert.Collection(
            actions,
            a => Assert.IsType<DeferralAction.Release>(a),
            a => Assert.IsType<DeferralAction.Pause>(a),
            a => Assert.IsType<DeferralAction.Release>(a));
        var uid = fixture.Job(job).Metadata.Uid;
        Assert.Equal(
            [new RecordingJobLedger.RunStart(uid, T0.AddHours(2), "DE", null), new RecordingJobLedger.RunStart(uid, T0.AddHours(6), "DE", null)],
            ledger.RunStarts);
        Assert.Equal([new RecordingJobLedger.RunEnd(uid, T0.AddHours(3))], ledger.RunEnds);
        Assert.Equal(
            [typeof(LedgerSubmission), typeof(LedgerPlan), typeof(LedgerSubmission), typeof(RecordingJobLedger.RunStart), typeof(LedgerSubmission), typeof(RecordingJobLedger.RunEnd), typeof(LedgerSubmission), typeof(RecordingJobLedger.RunStart)],
            ledger.Facts.Select(f => f.GetType()));
    }

    [Fact]
    public async Task Reconcile_ReleasedByHand_RecordsARunStartInItsBaselineZone()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        // Planned for FR, but let run by hand without our zone affinity: it may run anywhere, and DE has most nodes.
        fixture.Time.SetUtcNow(T0.AddHours(1));
        fixture.Server.UpdateJob(job.Namespace, job.Name, j => j.Spec.Suspend = false);
        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.MarkReleased>(action);
        Assert.Equal([new RecordingJobLedger.RunStart(fixture.Job(job).Metadata.Uid, T0.AddHours(1), "DE", null)], ledger.RunStarts);
    }

    [Fact]
    public async Task Reconcile_NoForecast_RecordsThePlanMadeAtTheReleaseAndARunInTheFirstCandidateZone()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");

        var action = await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        var uid = fixture.Job(job).Metadata.Uid;
        var plan = Assert.Single(ledger.Plans);
        Assert.Equal((uid, T0, T0, (string?)null), (plan.Uid, plan.At, plan.PlannedStart, plan.Zone));
        Assert.Equal([new RecordingJobLedger.RunStart(uid, T0, "DE", null)], ledger.RunStarts);
    }

    [Fact]
    public async Task Reconcile_DryRunJob_RecordsItNotDeferredWithThePlanItWouldHaveHad()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] }, ledger);
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
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        var uid = fixture.Job(key).Metadata.Uid;
        var submission = Assert.Single(ledger.Submissions);
        Assert.False(submission.Deferred);
        Assert.Equal(TimeSpan.FromHours(1), submission.ExpectedDuration);
        var plan = Assert.Single(ledger.Plans);
        Assert.Equal((uid, T0, T0.AddHours(10), "DE", 100.0, 400.0), (plan.Uid, plan.At, plan.PlannedStart, plan.Zone, plan.ExpectedIntensity, plan.BaselineIntensity));
        Assert.Empty(ledger.RunStarts);
    }

    [Theory]
    [InlineData("carbon-aware.io/team=vision,team=platform", "vision")]
    [InlineData("team=platform", "platform")]
    [InlineData("app=train", null)]
    public async Task Reconcile_TeamLabels_TheFirstOneSetIsTheTeam(string labels, string? team)
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, labels: labels.Split(',').Select(l => l.Split('=')).ToDictionary(l => l[0], l => l[1]));

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.Equal(team, Assert.Single(ledger.Submissions).Team);
    }

    [Fact]
    public async Task Reconcile_ConfiguredTeamLabels_AreReadInsteadOfTheDefault()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, TeamLabels = ["example.com/owner"] }, ledger);
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, labels: new Dictionary<string, string> { ["team"] = "platform", ["example.com/owner"] = "search" });

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.Equal("search", Assert.Single(ledger.Submissions).Team);
    }

    [Fact]
    public async Task Reconcile_InvalidAnnotationsOnlyReported_RecordsNothing()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        var key = new JobKey("ml", "bad");
        fixture.Server.AddJob(TestJobs.Job("ml", "bad", suspend: false, new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "eight hours" }));

        var action = await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.IsType<DeferralAction.ReportInvalid>(action);
        Assert.Empty(ledger.Facts);
    }

    [Fact]
    public async Task Reconcile_PatchRefusedWithConflict_RecordsTheDecisionCarriedOutOnly()
    {
        var ledger = new RecordingJobLedger();
        await using var fixture = await ControllerFixture.StartAsync(ledger: ledger);
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "1h");
        fixture.Server.FailNextRequests(ApiRequestKind.JobPatch, System.Net.HttpStatusCode.Conflict, reason: "Conflict", message: "Operation cannot be fulfilled on jobs.batch \"train\": the object has been modified; please apply your changes to the latest version and try again");

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);

        Assert.Single(ledger.Plans);
        Assert.Single(ledger.Submissions);
    }
}
