using System.Net;
using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// The Kubernetes API failing under the leader while Jobs are held: its Job watch cut mid-stream, ended while the
/// history was compacted so that the re-watch is answered 410 Expired and the Jobs must be listed again, cut once
/// more just before the planned start, and the release patches at the planned start answered 500 and 429 (with
/// Retry-After). Jobs created after each fault are still seen and planned, and every Job is released exactly once,
/// never before its planned start, and within one retry of it (<c>Deferral__RetrySeconds</c>).
/// </summary>
public class KubernetesApiFaultTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    // The controller's retry of a failed decision (Deferral__RetrySeconds, the default) and the time a decision takes.
    private static readonly TimeSpan RetriedRelease = TimeSpan.FromSeconds(10) + Timeline.Running;

    // Time for the watch faults (each followed by a Job that must be planned) before the planned start.
    private static readonly TimeSpan FaultLead = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Leader_JobWatchCutAndExpiredAndReleasePatchesRefused_ReleasesEveryJobOnceWithinOneRetry()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead + FaultLead);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, _ => 300);
        var service = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, service);
        await using var health = new HealthWatch(service.BaseAddress);

        var held = Enumerable.Range(1, 3).Select(i => scenario.AddHeldJob($"train-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var plans = new Dictionary<string, WrittenPlan>(await scenario.WaitForPlansAsync(held, Timeline.Planning), StringComparer.Ordinal);

        // The watch cut mid-stream (the connection aborted): the leader watches again, and sees a Job created after.
        var lists = scenario.Api.RequestsOf(ApiRequestKind.JobList).Count;
        scenario.Api.DropWatchConnections();
        scenario.Log("Job watch connections dropped");
        var afterCut = scenario.AddHeldJob("after-cut", clean + Timeline.Run + Timeline.Slack, Timeline.Run);
        foreach (var (job, plan) in await scenario.WaitForPlansAsync([afterCut], Timeline.Planning))
        {
            plans[job] = plan;
        }

        // The watch ended while the history was compacted: the re-watch from the last resourceVersion gets 410
        // Expired, and the leader lists the Jobs again before it watches on.
        await Eventually.UntilAsync(() => scenario.Api.OpenWatchCount > 0 && scenario.Api.RequestsOf(ApiRequestKind.JobWatch).Count > 1, "the Job watch is open again", scenario.Diagnostics, Timeline.Planning);
        lists = scenario.Api.RequestsOf(ApiRequestKind.JobList).Count;
        scenario.Api.EndWatchesAndExpireHistory();
        scenario.Log("Job watches ended and the history compacted");
        var afterExpiry = scenario.AddHeldJob("after-expiry", clean + Timeline.Run + Timeline.Slack, Timeline.Run);
        foreach (var (job, plan) in await scenario.WaitForPlansAsync([afterExpiry], Timeline.Planning))
        {
            plans[job] = plan;
        }

        Assert.True(scenario.Api.RequestsOf(ApiRequestKind.JobList).Count > lists, "the leader did not list the Jobs again after the 410");
        Assert.All(plans.Values, plan => Assert.Equal((clean, ZoneA), (plan.Start, plan.Zone)));
        Timeline.AssertAhead(clean, "the planned start, after the watch faults");

        // Just before the planned start: the watch cut again, and the next four release patches refused.
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= clean - TimeSpan.FromSeconds(2), "2 s before the planned start", timeout: clean - DateTimeOffset.UtcNow);
        var patches = scenario.Api.RequestsOf(ApiRequestKind.JobPatch).Count;
        scenario.Api.DropWatchConnections();
        scenario.Api.FailNextRequests(ApiRequestKind.JobPatch, HttpStatusCode.InternalServerError, times: 2);
        scenario.Api.ThrottleNextRequests(ApiRequestKind.JobPatch, times: 2, retryAfterSeconds: 1);
        scenario.Log("Job watch connections dropped; the next 2 Job patches answered 500 and the 2 after 429");

        await scenario.WaitForReleasesAsync([.. plans.Keys], clean + RetriedRelease + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(plans, _ => clean + RetriedRelease);
        Assert.True(scenario.Api.RequestsOf(ApiRequestKind.JobPatch).Count >= patches + 4 + plans.Count, "the refused patches were not all sent");
        scenario.Log($"/healthz asked {health.Probes} times; the release recorder listed {scenario.Releases.Relists} time(s) after a 410");
        Assert.Empty(health.Failures);
        scenario.AssertNoErrorsLogged();
    }
}
