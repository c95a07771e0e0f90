using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;
using Xunit.Abstractions;

namespace Scheduler.Storage.Tests.Scheduling;

/// <summary>Replicas sharing one database form a Quartz cluster: each trigger fires on exactly one of them.</summary>
public class QuartzClusterTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Jobs = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoSchedulers_TwentyTriggersDueTogether_EveryJobRunsExactlyOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(database);
        var log = Executions.Create();
        await using var nodeA = TestStores.Build(TestStores.Options(database, "node-a"));
        await using var nodeB = TestStores.Build(TestStores.Options(database, "node-b"));
        var schedulers = new[] { await nodeA.GetScheduler(), await nodeB.GetScheduler() };
        foreach (var scheduler in schedulers)
        {
            await scheduler.Start();
        }

        // Due within a second of each other, a few seconds ahead; stored through both nodes so each is woken.
        var due = DateTimeOffset.UtcNow.AddSeconds(3);
        for (var i = 0; i < Jobs; i++)
        {
            var job = CountingJob.Detail(log, $"clustered-{i:D2}");
            await schedulers[i % 2].ScheduleJob(job, TestStores.OneShot(job, due.AddMilliseconds(50 * i)));
        }

        await Eventually.HoldsAsync(() => log.Count >= Jobs, Patience, log.Describe);
        await Eventually.HoldsAsync(() => TestStores.IdleAsync(database), Patience, () => "triggers are left in the database");
        var runs = log.CountByJob();
        Assert.Equal(Jobs, runs.Count);
        Assert.All(runs, run => Assert.Equal(1, run.Value));
        output.WriteLine(string.Join(", ", log.Runs.GroupBy(r => r.InstanceId).Select(g => $"{g.Key}: {g.Count()} runs")));
    }
}
