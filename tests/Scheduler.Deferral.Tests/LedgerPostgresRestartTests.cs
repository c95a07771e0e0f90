using Scheduler.Core.Annotations;
using Scheduler.Deferral.Tests.Support;
using Scheduler.Kubernetes.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;
using static Scheduler.Deferral.Tests.Support.DeferralScenario;

namespace Scheduler.Deferral.Tests;

/// <summary>
/// The carbon ledger on the real PostgreSQL, stopped while Jobs are held, released and completed, and started
/// again: the controller only queues its facts, so every release is on time, and once the database is back the
/// writer catches up, so that each Job's submission, plan, run and completion are all in the ledger tables, once.
/// This class has a PostgreSQL of its own.
/// </summary>
public class LedgerPostgresRestartTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    // The ledger writer's retry while the database is down (Storage__RetryIntervalSeconds, the default), and the
    // rest of the wait for a busy machine.
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(15) + Timeline.Planning;

    [Fact]
    public async Task Ledger_PostgresStoppedWhileJobsAreHeldReleasedAndCompleted_EveryRowIsWrittenOnceItIsBack()
    {
        await using var scenario = await DeferralScenario.CreateAsync(postgres.Server, output);
        var clean = StepAtOrAfter(DateTimeOffset.UtcNow + Timeline.CleanSlotAhead);
        scenario.WriteForecast(ZoneA, at => at >= clean && at < clean + Timeline.Run ? 50 : 400);
        scenario.WriteForecast(ZoneB, _ => 300);
        var service = await scenario.StartServiceAsync("a");
        await scenario.WaitForLeaderAsync(Timeline.StartUp, service);

        // Held with the database up: their submission and plan are written at once.
        var before = Enumerable.Range(1, 2).Select(i => scenario.AddHeldJob($"before-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        var plans = new Dictionary<string, WrittenPlan>(await scenario.WaitForPlansAsync(before, Timeline.Planning), StringComparer.Ordinal);
        await EventuallyAsync.UntilAsync(
            async () => (await LedgerTables.ReadAsync(scenario.ConnectionString, Uids(scenario, before))) is var ledger && ledger.Jobs.Count == before.Count && ledger.Plans.Count == before.Count,
            "the first Jobs' submissions and plans are in the ledger",
            scenario.Diagnostics,
            Timeline.Planning);
        await scenario.WaitForStoredWakeUpsAsync(before.Count * 2);

        // Held, released and completed with the database down: every fact of theirs is queued.
        await scenario.Postgres.StopAsync();
        scenario.Log("PostgreSQL stopped");
        var during = Enumerable.Range(1, 3).Select(i => scenario.AddHeldJob($"during-{i}", clean + Timeline.Run + Timeline.Slack, Timeline.Run)).ToList();
        foreach (var (job, plan) in await scenario.WaitForPlansAsync(during, Timeline.Planning))
        {
            plans[job] = plan;
        }

        var jobs = plans.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.All(plans.Values, plan => Assert.Equal((clean, ZoneA), (plan.Start, plan.Zone)));
        Timeline.AssertAhead(clean, "the planned start, with the database down");
        await scenario.WaitForReleasesAsync(jobs, clean + Timeline.Running + Timeline.Grace - DateTimeOffset.UtcNow);
        scenario.AssertReleased(plans, _ => clean + Timeline.Running);

        // The Jobs run a little (a completion time has whole seconds), then the Job controller completes them.
        var ran = jobs.Max(j => scenario.Releases.ReleasedAt(j)!.Value) + TimeSpan.FromSeconds(1.5);
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= ran, "the Jobs have run", timeout: Timeline.Grace);
        foreach (var job in jobs)
        {
            scenario.Api.CompleteJob(Namespace, job);
        }

        await Eventually.UntilAsync(() => jobs.All(j => scenario.Annotation(j, CarbonAnnotations.State) == "completed"), "every Job is recorded completed", scenario.Diagnostics, Timeline.Planning);
        Assert.False(scenario.Postgres.IsRunning);
        await scenario.Postgres.StartAsync();
        var back = DateTimeOffset.UtcNow;
        scenario.Log("PostgreSQL started again");

        var uids = Uids(scenario, jobs);
        LedgerTables ledger = null!;
        await EventuallyAsync.UntilAsync(
            async () => (ledger = await LedgerTables.ReadAsync(scenario.ConnectionString, uids)).Jobs.Count(j => j.CompletedAt is not null) == jobs.Count,
            "every Job's completion is in the ledger",
            scenario.Diagnostics,
            CatchUp);
        scenario.Log($"the ledger caught up {(DateTimeOffset.UtcNow - back).TotalSeconds:0.0} s after PostgreSQL was back: {ledger.Jobs.Count} Job rows, {ledger.Plans.Count} plan rows, {ledger.Runs.Count} run rows");

        foreach (var job in jobs)
        {
            var uid = uids[jobs.IndexOf(job)];
            var released = scenario.Releases.ReleasedAt(job)!.Value;
            var row = Assert.Single(ledger.Jobs, j => j.Uid == uid);
            Assert.Equal((job, true, "completed"), (row.Name, row.Deferred, row.Outcome));
            var plan = Assert.Single(ledger.Plans, p => p.Uid == uid);
            Assert.Equal((plans[job].Start, ZoneA), (plan.PlannedStart, plan.Zone));
            var run = Assert.Single(ledger.Runs, r => r.Uid == uid);
            Assert.Equal(ZoneA, run.Zone);
            Assert.InRange(run.StartedAt, plans[job].Start, released);
            Assert.NotNull(run.EndedAt);
            Assert.True(row.CompletedAt >= run.StartedAt, $"{job} completed at {row.CompletedAt:HH:mm:ss.fff}, before its run started at {run.StartedAt:HH:mm:ss.fff}");
        }

        // Quartz logs errors while the database is down; the ledger writer must have rejected (dropped) nothing.
        Assert.DoesNotContain(service.Problems(), line => line.Contains("BufferedLedgerWriter", StringComparison.Ordinal));
    }

    private static List<string> Uids(DeferralScenario scenario, IEnumerable<string> jobs) => [.. jobs.Select(j => scenario.Job(j).Metadata.Uid)];
}
