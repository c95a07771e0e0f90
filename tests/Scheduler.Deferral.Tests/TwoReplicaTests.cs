using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// Two replicas on one API server and one PostgreSQL, as the Deployment runs them: the leader's in-process timers
/// and the clustered Quartz triggers (which fire on either replica) both wake up for each Job, yet every Job is
/// released exactly once; and when the leader is killed, the other replica takes over and releases the rest on time.
/// </summary>
public class TwoReplicaTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Replicas_LeaderKilledBetweenTwoReleases_EveryJobReleasedOnceAndOnTime()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var first = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        var second = first + (4 * Step);
        scenario.WriteForecast(ZoneA, at => at >= first && at < first + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, at => at >= second && at < second + Timeline.Run ? 60 : 300);
        var a = await scenario.StartServiceAsync("a");
        var leader = await scenario.WaitForLeaderAsync(Timeline.StartUp, a);
        var b = await scenario.StartServiceAsync("b");

        // The first Jobs may run in either zone and go to XA's slot; the others are kept to XB, whose slot comes later.
        var early = Enumerable.Range(1, 4).Select(i => scenario.AddHeldJob($"early-{i}", first + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var late = Enumerable.Range(1, 4).Select(i => scenario.AddHeldJob($"late-{i}", second + Timeline.Run + Timeline.Slack, Timeline.Run, zones: ZoneB)).ToList();
        var earlyPlans = await scenario.WaitForPlansAsync(early, Timeline.Planning);
        var latePlans = await scenario.WaitForPlansAsync(late, Timeline.Planning);
        Assert.All(earlyPlans.Values, plan => Assert.Equal((first, ZoneA), (plan.Start, plan.Zone)));
        Assert.All(latePlans.Values, plan => Assert.Equal((second, ZoneB), (plan.Start, plan.Zone)));
        Timeline.AssertAhead(first, "the first planned start");

        // Both replicas are up at the first start: the leader's timers and Quartz (on either replica) both fire.
        await scenario.WaitForReleasesAsync(early, first + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(earlyPlans, _ => first + Timeline.Running);
        Assert.False(b.HasExited);

        // The leader dies 20 s before the second start, once Quartz may have taken the next trigger for itself.
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= second - TimeSpan.FromSeconds(20), "20 s before the second start", timeout: second - DateTimeOffset.UtcNow);
        await leader.KillAsync();
        scenario.Log($"leader {leader.Name} killed");
        var follower = leader == a ? b : a;
        await scenario.WaitForLeaderAsync(second - DateTimeOffset.UtcNow - Timeline.Running, follower);

        await scenario.WaitForReleasesAsync(late, second + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(latePlans, _ => second + Timeline.Running);

        // The new leader decided on every Job when it took over: the early ones are still released once only.
        scenario.AssertReleased(earlyPlans, _ => first + Timeline.Running);
        scenario.AssertNoErrorsLogged();
    }
}
