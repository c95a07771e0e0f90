using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class PodWatcherTests
{
    [Fact]
    public async Task List_MixedPods_KeepsAndQueuesOnlyTheBarePodsWeHold()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var held = fixture.AddHeldPod("held", deadlineHour: 18);
        var gatedOnly = TestPods.Pod("ml", "gated-only", gates: [TestPods.OurGate]);
        fixture.Server.AddPod(gatedOnly);
        fixture.Server.AddPod(TestPods.Pod("ml", "other-gate", new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h" }, "example.com/quota"));
        fixture.Server.AddPod(TestPods.Pod("ml", "plain", new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h" }));
        var owned = TestPods.Pod("ml", "web-7d9f", new Dictionary<string, string> { [CarbonAnnotations.State] = "held" }, TestPods.OurGate);
        owned.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "5a0c1a8e-7a3c-4f7e-9d49-1b0e9f1d2c3b", Controller = true }];
        fixture.Server.AddPod(owned);
        var watcher = fixture.NewPodWatcher();

        await watcher.ListAsync(CancellationToken.None);

        Assert.Equal([new JobKey("ml", "gated-only", WorkloadKind.Pod), held], watcher.Known.OrderBy(k => k.Name, StringComparer.Ordinal));
        Assert.Equal([held], watcher.Waiting);
        Assert.Equal(1, watcher.CountByState()[DeferralState.Held]);
        Assert.Equal(2, fixture.Pending.Count);
    }

    [Fact]
    public async Task Watch_GatedPodAddedThenDeleted_AsksForADecisionEachTime()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var watcher = fixture.NewPodWatcher();
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);
        try
        {
            await Eventually.UntilAsync(() => fixture.Server.OpenWatchCount == 1, "the watch is open");
            fixture.Server.AddPod(TestPods.Pod("ml", "plain"));
            var pod = fixture.AddHeldPod("render", deadlineHour: 18);
            await Eventually.UntilAsync(() => fixture.Pending.Count == 1, "the gated Pod is queued");
            Assert.Equal(pod, await fixture.Pending.DequeueAsync(CancellationToken.None));

            fixture.Server.DeletePod(pod.Namespace, pod.Name);
            await Eventually.UntilAsync(() => fixture.Pending.Count == 1 && watcher.Known.Count == 0, "the deleted Pod is queued and forgotten");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }
}
