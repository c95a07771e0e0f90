using Quartz;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Scheduling;

/// <summary>
/// A scheduler outlives a PostgreSQL restart. This class restarts its server, so it has a server of its own
/// (class fixture) and other classes are not disturbed.
/// </summary>
public class QuartzReconnectTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostgresRestart_WhileSchedulerRuns_TriggerDueAfterwardsStillFires()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(database);
        var log = Executions.Create();
        await using var factory = TestStores.Build(TestStores.Options(database, "node-a"));
        var scheduler = await factory.GetScheduler();
        await scheduler.Start();
        var beforeJob = CountingJob.Detail(log, "stored-before-restart");
        await scheduler.ScheduleJob(beforeJob, TestStores.OneShot(beforeJob, DateTimeOffset.UtcNow.AddSeconds(6)));

        await postgres.Server.StopAsync();

        // The scheduler keeps running against a dead server for a while: its pooled connections all break.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.Server.StartAsync();

        await Eventually.HoldsAsync(() => log.Count >= 1, Patience, log.Describe);
        Assert.Equal(beforeJob.Key.ToString(), Assert.Single(log.Runs).JobKey);

        // And it still takes new work through the same scheduler.
        var afterJob = CountingJob.Detail(log, "stored-after-restart");
        await scheduler.ScheduleJob(afterJob, TestStores.OneShot(afterJob, DateTimeOffset.UtcNow.AddSeconds(1)));
        await Eventually.HoldsAsync(() => log.Count >= 2, Patience, log.Describe);
        await Eventually.HoldsAsync(() => TestStores.IdleAsync(database), Patience, () => "triggers are left in the database");
        Assert.Equal(2, log.Count);
        Assert.Equal(SchedulerStatus.Running, scheduler.Status);
    }
}
