using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// The service killed without warning (as a node failure or an OOM kill does) while Jobs are held, and started
/// again: the Jobs' own annotations, the Quartz triggers in PostgreSQL and the new leader's reconcile on start-up
/// must still release every Job at its planned start, or at once if that passed while nothing ran, and never after
/// its latest safe start.
/// </summary>
public class KillAndRestartTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Service_KilledBeforeThePlannedStartAndStartedAgain_ReleasesEveryJobOnTime()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, _ => 300);

        // Held before the service first starts, on an empty database: the leader decides on them while the
        // migrations and Quartz are still coming up.
        var jobs = Enumerable.Range(1, 4).Select(i => scenario.AddHeldJob($"train-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var first = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, first);
        var plans = await scenario.WaitForPlansAsync(jobs, Timeline.Planning);
        Assert.All(plans.Values, plan => Assert.Equal((clean, clean + Timeline.Slack, ZoneA), (plan.Start, plan.LatestStart, plan.Zone)));
        Timeline.AssertAhead(clean, "the planned start, when the service is killed");
        await scenario.WaitForStoredWakeUpsAsync(jobs.Count * 2);

        await first.KillAsync();
        scenario.Log("service a killed");
        var second = await scenario.StartServiceAsync("b");

        await scenario.WaitForReleasesAsync(jobs, clean + Timeline.Tolerance + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(plans, _ => clean + Timeline.Tolerance);
        await scenario.WaitForLeaderAsync(Timeline.StartUp, second);
        scenario.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Service_DownPastThePlannedStartAndBackBeforeTheLatestStart_ReleasesEveryJobOnStartUp()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, _ => 300);
        var first = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, first);

        var jobs = Enumerable.Range(1, 4).Select(i => scenario.AddHeldJob($"train-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var plans = await scenario.WaitForPlansAsync(jobs, Timeline.Planning);
        Assert.All(plans.Values, plan => Assert.Equal((clean, clean + Timeline.Slack), (plan.Start, plan.LatestStart)));
        await scenario.WaitForStoredWakeUpsAsync(jobs.Count * 2);
        Timeline.AssertAhead(clean, "the planned start, when the service is killed");

        await first.KillAsync();
        scenario.Log("service a killed; nothing runs until after the planned start");
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= clean + Timeline.DownPastStart, "the planned start passes", timeout: clean + Timeline.DownPastStart - DateTimeOffset.UtcNow + Timeline.Grace);
        Assert.All(jobs, job => Assert.Null(scenario.Releases.ReleasedAt(job)));

        var second = await scenario.StartServiceAsync("b");
        var restarted = second.StartedAt;
        await scenario.WaitForReleasesAsync(jobs, Timeline.Tolerance + Timeline.Grace);
        scenario.AssertReleased(plans, _ => restarted + Timeline.Tolerance);

        // Which came first is not asserted: a misfired Quartz trigger fires as soon as the scheduler is up, and the
        // new leader decides on every Job once the killed leader's Lease has run out.
        var led = await scenario.WaitForLeaderAsync(Timeline.StartUp, second);
        var firstRelease = jobs.Min(job => scenario.Releases.ReleasedAt(job)!.Value);
        scenario.Log($"service b started {restarted:HH:mm:ss.fff}, released the first Job {(firstRelease - restarted).TotalSeconds:0.0} s later, led {(led.LedAt!.Value - restarted).TotalSeconds:0.0} s later");
        scenario.AssertNoErrorsLogged();
    }
}
