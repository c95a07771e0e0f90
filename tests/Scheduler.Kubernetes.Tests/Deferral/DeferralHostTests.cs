using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scheduler.Core.Annotations;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class DeferralHostTests
{
    private static readonly DateTimeOffset T0 = ControllerFixture.T0;

    [Fact]
    public async Task Host_AsLeader_HoldsANewJobAndReleasesItWhenItsWakeUpFires()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, SafetyMarginMinutes = 30, LeaseNamespace = "carbon", LeaseDurationSeconds = 5 });
        fixture.Forecast("DE", h => h is 6 or 7 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);
        using var host = Host(fixture);
        await host.StartAsync(CancellationToken.None);
        try
        {
            var job = fixture.AddHeldJob("train", deadlineHour: 18, duration: "2h");

            await Eventually.UntilAsync(() => fixture.Annotation(job, CarbonAnnotations.PlannedStart) == "2026-11-24T06:00:00Z", "the leader plans the Job");
            Assert.True(host.IsLeader);
            Assert.True(fixture.Job(job).Spec.Suspend);

            fixture.Time.SetUtcNow(T0.AddHours(6));
            await Eventually.UntilAsync(() => fixture.Job(job).Spec.Suspend == false, "the wake-up releases the Job");
            Assert.Equal("released", fixture.Annotation(job, CarbonAnnotations.State));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Host_AsLeader_PlansAGatedPodAndLiftsItsGateWhenItsWakeUpFires()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, SafetyMarginMinutes = 30, LeaseNamespace = "carbon", LeaseDurationSeconds = 5 });
        fixture.Forecast("DE", h => h is 6 or 7 ? 50 : 400);
        fixture.Forecast("FR", _ => 500);
        using var host = Host(fixture, pods: true);
        await host.StartAsync(CancellationToken.None);
        try
        {
            var pod = fixture.AddHeldPod("render", deadlineHour: 18, duration: "2h");

            await Eventually.UntilAsync(() => fixture.Annotation(pod, CarbonAnnotations.PlannedStart) == "2026-11-24T06:00:00Z", "the leader plans the Pod");
            Assert.NotNull(fixture.Pod(pod).Spec.SchedulingGates);

            fixture.Time.SetUtcNow(T0.AddHours(6));
            await Eventually.UntilAsync(() => fixture.Pod(pod).Spec.SchedulingGates is null, "the wake-up lifts the gate");
            Assert.Equal("released", fixture.Annotation(pod, CarbonAnnotations.State));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Host_PodsSwitchedOff_DoesNotWatchPods()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, Pods = false, LeaseNamespace = "carbon", LeaseDurationSeconds = 5 });
        using var host = Host(fixture, pods: true);
        await host.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.UntilAsync(() => fixture.Server.RequestsOf(Fakes.ApiRequestKind.JobWatch).Count > 0, "the leader watches Jobs");
            Assert.Empty(fixture.Server.RequestsOf(Fakes.ApiRequestKind.PodList));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Hosts_TwoReplicas_OneLeadsAndTheOtherTakesOverWhenItStops()
    {
        await using var fixture = await ControllerFixture.StartAsync(new DeferralOptions { Enabled = true, SafetyMarginMinutes = 30, LeaseNamespace = "carbon", LeaseDurationSeconds = 5 });
        fixture.Forecast("DE", h => h is 6 or 7 ? 50 : 400);
        using var first = Host(fixture, new PendingJobs());
        using var second = Host(fixture, new PendingJobs());
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.UntilAsync(() => first.IsLeader || second.IsLeader, "a replica leads");
            Assert.False(first.IsLeader && second.IsLeader);
            var (leader, follower) = first.IsLeader ? (first, second) : (second, first);

            await leader.StopAsync(CancellationToken.None);
            await Eventually.UntilAsync(() => follower.IsLeader, "the other replica takes over", timeout: TimeSpan.FromSeconds(30));

            // The new leader watches Jobs: one created now is planned.
            var job = fixture.AddHeldJob("late", deadlineHour: 18, duration: "2h");
            await Eventually.UntilAsync(() => fixture.Annotation(job, CarbonAnnotations.PlannedStart).Length > 0, "the new leader plans the Job");
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
        }
    }

    // Replicas are processes with a queue each: PendingJobs has one reader, and a second host reading the same queue
    // would cancel the first one's read, which ends that host's decision loop.
    private static DeferralHost Host(ControllerFixture fixture, PendingJobs? pending = null, bool pods = false)
    {
        var client = fixture.Server.CreateClient();
        var kubernetes = Options.Create(new KubernetesOptions());
        var queue = pending ?? fixture.Pending;
        var watcher = new JobWatcher(client, queue, kubernetes, fixture.Time, NullLogger<JobWatcher>.Instance);
        var podWatcher = pods ? new PodWatcher(client, queue, Options.Create(fixture.Options), kubernetes, fixture.Time, NullLogger<PodWatcher>.Instance) : null;
        return new DeferralHost(
            client,
            watcher,
            queue,
            fixture.NewController(watcher, podWatcher),
            fixture.Intensity,
            Options.Create(fixture.Options),
            fixture.Time,
            NullLogger<DeferralHost>.Instance,
            podWatcher);
    }
}
