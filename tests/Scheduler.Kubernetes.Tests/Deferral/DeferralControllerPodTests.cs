using System.Net;
using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Deferral;

/// <summary>The deferral controller on bare Pods held by our scheduling gate.</summary>
public class DeferralControllerPodTests
{
    private const string Quota = "example.com/quota";
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;

    [Fact]
    public async Task Reconcile_GatedPod_IsPlannedThenItsGateLiftedAtThePlannedStartInThePlannedZone()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h", gates: [Quota, TestPods.OurGate]);

        var held = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Hold>(held);
        Assert.Equal("2026-11-24T05:00:00Z", fixture.Annotation(pod, CarbonAnnotations.PlannedStart));
        Assert.Equal("FR", fixture.Annotation(pod, CarbonAnnotations.PlannedZone));
        Assert.Equal("held", fixture.Annotation(pod, CarbonAnnotations.State));
        Assert.Equal([Quota, TestPods.OurGate], TestPods.Gates(fixture.Pod(pod)));
        var heldEvent = Assert.Single(fixture.Events("CarbonHeld"));
        Assert.Equal(("v1", "Pod", "render", fixture.Pod(pod).Metadata.Uid), (heldEvent.InvolvedObject.ApiVersion, heldEvent.InvolvedObject.Kind, heldEvent.InvolvedObject.Name, heldEvent.InvolvedObject.Uid));
        Assert.Equal(1, fixture.WakeUps.Count);

        fixture.Time.SetUtcNow(T0.AddHours(5));
        await Eventually.UntilAsync(() => fixture.Pending.Count == 1, "the planned-start wake-up fires");
        var woken = await fixture.Pending.DequeueAsync(CancellationToken.None);
        var released = await fixture.Controller.ReconcileAsync(woken, CancellationToken.None);

        Assert.Equal(pod, woken);
        Assert.IsType<DeferralAction.Release>(released);
        var running = fixture.Pod(pod);
        Assert.Equal([Quota], TestPods.Gates(running));
        Assert.Equal("released", running.Metadata.Annotations[CarbonAnnotations.State]);
        var term = Assert.Single(running.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        var requirement = Assert.Single(term.MatchExpressions);
        Assert.Equal((NodeLabels.GridZone, "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["FR"], requirement.Values);
        Assert.Equal("Pod", Assert.Single(fixture.Events("CarbonReleased")).InvolvedObject.Kind);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_GatedPodWithItsOwnNodeAffinity_AppendsTheZoneToEveryTermAndLiftsTheLastGate()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 2 ? 20 : 60);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h", change: p => p.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = NodeLabels.GridZone, OperatorProperty = "In", Values = ["DE", "FR"] }] },
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = ["fr-1"] }] },
                    ],
                },
            },
        });
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(2));

        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        var released = fixture.Pod(pod);
        Assert.Null(released.Spec.SchedulingGates);
        var terms = released.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms;
        Assert.Equal(2, terms.Count);
        Assert.All(terms, t => Assert.Equal(["FR"], t.MatchExpressions[^1].Values));
        Assert.Equal(["DE", "FR"], terms[0].MatchExpressions[0].Values);
    }

    [Fact]
    public async Task Reconcile_ZoneAffinityRefusedByTheApiServer_LiftsTheGateWithoutIt()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", _ => 400);
        fixture.Forecast("FR", h => h == 5 ? 20 : 60);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(5));
        fixture.Server.FailNextRequests(ApiRequestKind.PodPatch, HttpStatusCode.UnprocessableEntity, reason: "Invalid", message: "Pod \"render\" is invalid: spec: Forbidden: pod updates may not change fields other than ...");

        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        var released = fixture.Pod(pod);
        Assert.Null(released.Spec.SchedulingGates);
        Assert.Null(released.Spec.Affinity);
    }

    [Fact]
    public async Task Reconcile_ReleaseNowAddedToAGatedPod_LiftsTheGateAtOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        fixture.Server.UpdatePod(pod.Namespace, pod.Name, p => p.Metadata.Annotations[CarbonAnnotations.ReleaseNow] = "true");
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.Null(fixture.Pod(pod).Spec.SchedulingGates);
        Assert.Equal("released at once: carbon-aware.io/release-now is set", fixture.Annotation(pod, CarbonAnnotations.Reason));
    }

    [Fact]
    public async Task Reconcile_GatedPodWithInvalidAnnotations_WarnsAndLiftsTheGateAtOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, extra: new Dictionary<string, string> { [CarbonAnnotations.Duration] = "a while" });

        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.Null(fixture.Pod(pod).Spec.SchedulingGates);
        Assert.Equal("released", fixture.Annotation(pod, CarbonAnnotations.State));
        var warning = Assert.Single(fixture.Events("InvalidCarbonAnnotations"));
        Assert.Equal(("Warning", "Pod"), (warning.Type, warning.InvolvedObject.Kind));
        Assert.StartsWith(DeferralDecider.InvalidReasonPrefix + "carbon-aware.io/duration", warning.Message, StringComparison.Ordinal);
        Assert.Single(fixture.Events("CarbonReleased"));
    }

    [Fact]
    public async Task Reconcile_GatedPodWithNoForecast_LiftsTheGateAtOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var pod = fixture.AddHeldPod("render", deadlineHour: 18);

        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.Null(fixture.Pod(pod).Spec.SchedulingGates);
        Assert.Null(fixture.Pod(pod).Spec.Affinity);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_GatedPodAtItsLatestSafeStart_LiftsTheGateWhateverTheForecasts()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h is 10 or 11 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "2h");
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        var latest = DateTimeOffset.Parse(fixture.Annotation(pod, CarbonAnnotations.LatestStart), System.Globalization.CultureInfo.InvariantCulture);

        fixture.Intensity.Remove("DE");
        fixture.Time.SetUtcNow(latest);
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Release>(action);
        Assert.Null(fixture.Pod(pod).Spec.SchedulingGates);
    }

    [Fact]
    public async Task Reconcile_TwoReplicasAtOnce_LiftTheGateOnlyOnce()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h", gates: [TestPods.OurGate, Quota]);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(3));

        var other = fixture.NewController();
        var actions = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? fixture.Controller : other).ReconcileAsync(pod, CancellationToken.None)));

        Assert.Single(actions, a => a is DeferralAction.Release);
        Assert.Single(fixture.Events("CarbonReleased"));
        Assert.Equal([Quota], TestPods.Gates(fixture.Pod(pod)));
        Assert.All(fixture.Server.RequestsOf(ApiRequestKind.PodPatch), r => Assert.Contains("\"resourceVersion\"", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_PodDeletedWhileGated_ForgetsItsWakeUps()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        Assert.Equal(1, fixture.WakeUps.Count);

        fixture.Server.DeletePod(pod.Namespace, pod.Name);
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.Null(action);
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_GateRemovedByHand_IsMarkedReleased()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, gates: [TestPods.OurGate, Quota]);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        fixture.Server.UpdatePod(pod.Namespace, pod.Name, p => p.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = Quota }]);
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.MarkReleased>(action);
        Assert.Equal("released", fixture.Annotation(pod, CarbonAnnotations.State));
        Assert.Single(fixture.Events("CarbonReleasedElsewhere"));
        Assert.Equal(0, fixture.WakeUps.Count);
    }

    [Fact]
    public async Task Reconcile_FinishedPod_IsRecordedCompleted()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 1 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h");
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(T0.AddHours(1));
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        fixture.Server.UpdatePod(pod.Namespace, pod.Name, p => p.Status.Phase = "Succeeded");
        var action = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.Complete>(action);
        Assert.Equal("completed", fixture.Annotation(pod, CarbonAnnotations.State));
    }

    [Fact]
    public async Task Reconcile_InterruptiblePod_IsPlannedAsOneRunAndNeverPaused()
    {
        await using var fixture = await ControllerFixture.StartAsync();

        // Two clean hours apart: a Job that may be interrupted would run in both and be paused between them.
        fixture.Forecast("DE", h => h is 2 or 6 ? 50 : 400);
        var interruptible = new Dictionary<string, string> { [CarbonAnnotations.Interruptible] = "true" };
        var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "2h", extra: interruptible);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "2h", extra: interruptible);

        await fixture.Controller.ReconcileAsync(job, CancellationToken.None);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        var runs = fixture.Annotation(pod, DeferralRecord.RunsAnnotation);
        var start = DateTimeOffset.Parse(fixture.Annotation(pod, CarbonAnnotations.PlannedStart), System.Globalization.CultureInfo.InvariantCulture);
        fixture.Time.SetUtcNow(start);
        await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);
        fixture.Time.SetUtcNow(start.AddHours(1));
        var later = await fixture.Controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.Contains(',', fixture.Annotation(job, DeferralRecord.RunsAnnotation));
        Assert.DoesNotContain(',', runs);
        Assert.IsType<DeferralAction.Keep>(later);
        Assert.Empty(fixture.Events("CarbonPaused"));
    }

    [Fact]
    public async Task Reconcile_PodWithNodeName_IsLeftAlone()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        var pod = TestPods.Pod("ml", "pinned", new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h" });
        pod.Spec.NodeName = "de-1";
        fixture.Server.AddPod(pod);
        var key = new JobKey("ml", "pinned", WorkloadKind.Pod);

        var action = await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.IsType<DeferralAction.Keep>(action);
        Assert.Empty(fixture.Server.RequestsOf(ApiRequestKind.PodPatch));
        Assert.Empty(fixture.Server.ListEvents("ml"));
    }

    [Fact]
    public async Task Reconcile_UngatedPodWithDeferralAnnotations_IsLeftAlone()
    {
        // The webhook did not hold it (not routed to it, or invalid annotations): it is the user's, even with invalid annotations.
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 10 ? 50 : 400);
        fixture.Server.AddPod(TestPods.Pod("ml", "plain", new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "eight hours" }));
        var key = new JobKey("ml", "plain", WorkloadKind.Pod);

        var action = await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.IsType<DeferralAction.Keep>(action);
        Assert.Empty(fixture.Server.RequestsOf(ApiRequestKind.PodPatch));
        Assert.Empty(fixture.Server.ListEvents("ml"));
    }

    [Fact]
    public async Task Reconcile_UngatedPodInADryRunNamespace_RecordsWhatItWouldDo()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, DryRunNamespaces = ["ml"] });
        fixture.Forecast("DE", h => h == 10 ? 100 : 400);
        fixture.Forecast("FR", _ => 500);
        var pod = TestPods.Pod("ml", "trial", new Dictionary<string, string> { [CarbonAnnotations.Deadline] = "2026-11-24T18:00:00Z", [CarbonAnnotations.Duration] = "1h" });
        pod.Metadata.CreationTimestamp = T0.UtcDateTime;
        fixture.Server.AddPod(pod);
        var key = new JobKey("ml", "trial", WorkloadKind.Pod);

        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);
        await fixture.Controller.ReconcileAsync(key, CancellationToken.None);

        Assert.Equal("dry run: would hold until 2026-11-24T10:00Z in DE, saving 75 % (100 against 400 gCO2eq/kWh)", fixture.Annotation(key, CarbonAnnotations.DryRunPlan));
        Assert.Null(fixture.Pod(key).Spec.SchedulingGates);
        Assert.Single(fixture.Events("CarbonDryRun"));
    }

    [Fact]
    public async Task Reconcile_GatedPodFromAStaleWatchCache_IsRefusedAndDecidedAgainOnTheFreshPod()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Forecast("DE", h => h == 3 ? 50 : 400);
        var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "1h");
        var watcher = fixture.NewPodWatcher();
        await watcher.ListAsync(CancellationToken.None);
        var controller = fixture.NewController(watchedPods: watcher);

        // The user lifts the gate by hand after the cache was filled: the cached copy is stale.
        fixture.Server.UpdatePod(pod.Namespace, pod.Name, p => p.Spec.SchedulingGates = null);
        var action = await controller.ReconcileAsync(pod, CancellationToken.None);

        Assert.IsType<DeferralAction.MarkReleased>(action);
        Assert.Single(fixture.Server.RequestsOf(ApiRequestKind.PodGet));
    }
}
