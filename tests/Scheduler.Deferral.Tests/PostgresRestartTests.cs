using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// PostgreSQL, which holds the Quartz wake-ups, stopped while Jobs are held and started again later: the
/// in-process wake-ups need no database, so the Jobs due meanwhile are released on time; the service stays live;
/// and once the database is back, Quartz reconnects and works again. This class has a PostgreSQL of its own.
/// </summary>
public class PostgresRestartTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Service_PostgresStoppedAcrossThePlannedStartAndStartedAgain_ReleasesOnTimeStaysLiveAndQuartzRecovers()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        var later = clean + (4 * Step);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, at => at >= later && at < later + Timeline.Run ? 60 : 300);
        var service = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, service);
        await using var health = new HealthWatch(service.BaseAddress);

        var before = Enumerable.Range(1, 5).Select(i => scenario.AddHeldJob($"before-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var plans = await scenario.WaitForPlansAsync(before, Timeline.Planning);
        Assert.All(plans.Values, plan => Assert.Equal((clean, ZoneA), (plan.Start, plan.Zone)));
        await scenario.WaitForStoredWakeUpsAsync(before.Count * 2);
        Timeline.AssertAhead(clean, "the planned start, when PostgreSQL is stopped");

        await scenario.Postgres.StopAsync();
        scenario.Log("PostgreSQL stopped");
        await scenario.WaitForReleasesAsync(before, clean + Timeline.Tolerance + Timeline.Grace - DateTimeOffset.UtcNow);
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= clean + Timeline.DownPastStart, "the planned start passes with the database down");
        Assert.False(scenario.Postgres.IsRunning);
        await scenario.Postgres.StartAsync();
        scenario.Log("PostgreSQL started again");
        scenario.AssertReleased(plans, _ => clean + Timeline.Running);

        // Quartz is back: the wake-ups of Jobs planned now are stored, and those of the Jobs released while the
        // database was down, which could not be deleted then, are deleted when the writes are retried.
        var after = Enumerable.Range(1, 5).Select(i => scenario.AddHeldJob($"after-{i}", later + Timeline.Run + Timeline.Slack, Timeline.Run, zones: ZoneB)).ToList();
        var laterPlans = await scenario.WaitForPlansAsync(after, Timeline.Planning);
        Assert.All(laterPlans.Values, plan => Assert.Equal((later, ZoneB), (plan.Start, plan.Zone)));
        Timeline.AssertAhead(later, "the planned start of the Jobs created after the restart");
        await EventuallyAsync.UntilAsync(
            async () => (await scenario.StoredWakeUpsAsync()) is var stored && stored.Count == after.Count * 2 && stored.All(t => t.Contains("/after-", StringComparison.Ordinal)),
            "only the new Jobs' wake-ups are stored",
            scenario.Diagnostics,
            later - DateTimeOffset.UtcNow);

        await scenario.WaitForReleasesAsync(after, later + Timeline.Tolerance + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(laterPlans, _ => later + Timeline.Running);
        await EventuallyAsync.UntilAsync(async () => (await scenario.StoredWakeUpsAsync()).Count == 0, "no wake-up is left in PostgreSQL", scenario.Diagnostics, Timeline.Planning);

        scenario.Log($"/healthz asked {health.Probes} times");
        Assert.True(health.Probes > 0);
        Assert.Empty(health.Failures);
    }
}
