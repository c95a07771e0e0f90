using Quartz;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Scheduling;

/// <summary>Triggers stored in PostgreSQL outlive the scheduler that stored them.</summary>
public class QuartzPersistenceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Trigger_StoredBeforeShutdown_FiresOnceOnANewScheduler()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(database);
        var log = Executions.Create();
        var job = CountingJob.Detail(log, "persisted");

        await using (var first = TestStores.Build(TestStores.Options(database, "node-a")))
        {
            var scheduler = await first.GetScheduler();
            await scheduler.Start();
            await scheduler.ScheduleJob(job, TestStores.OneShot(job, DateTimeOffset.UtcNow.AddSeconds(4)));
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        // The premise: the first scheduler stopped before the trigger was due, leaving it in the database.
        Assert.Equal(0, log.Count);
        Assert.Equal(1, await TestStores.CountAsync(database, "qrtz_triggers"));

        await using var second = TestStores.Build(TestStores.Options(database, "node-b"));
        var restarted = await second.GetScheduler();
        await restarted.Start();

        await Eventually.HoldsAsync(() => log.Count >= 1, Patience, log.Describe);
        await Eventually.HoldsAsync(() => TestStores.IdleAsync(database), Patience, () => "the trigger was not completed");
        var run = Assert.Single(log.Runs);
        Assert.Equal("node-b", run.InstanceId);
    }

    [Fact]
    public async Task Trigger_DueWhileNoSchedulerRuns_MisfiresAndFiresNowAfterRestart()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(database);
        var log = Executions.Create();
        var job = CountingJob.Detail(log, "misfired");
        var options = TestStores.Options(database, "node-a");
        var fireAt = DateTimeOffset.UtcNow.AddSeconds(3);

        await using (var first = TestStores.Build(options))
        {
            var scheduler = await first.GetScheduler();
            await scheduler.Start();
            await scheduler.ScheduleJob(job, TestStores.OneShot(job, fireAt, SimpleTriggerMisfireInstruction.FireNow));
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        Assert.Equal(0, log.Count);

        // Stay down past the fire time and the misfire threshold, so that the trigger is misfired, not merely late.
        var misfiredAfter = fireAt + TimeSpan.FromSeconds(options.MisfireThresholdSeconds + 1);
        await Eventually.HoldsAsync(() => DateTimeOffset.UtcNow > misfiredAfter, Patience, () => "the clock did not move");
        var recorder = new MisfireRecorder();
        await using var second = TestStores.Build(options);
        var restarted = await second.GetScheduler();
        restarted.ListenerManager.AddTriggerListener(recorder);
        await restarted.Start();

        await Eventually.HoldsAsync(() => log.Count >= 1, Patience, log.Describe);
        await Eventually.HoldsAsync(() => TestStores.IdleAsync(database), Patience, () => "the trigger was not completed");
        var run = Assert.Single(log.Runs);
        var misfire = Assert.Single(recorder.Misfired);
        Assert.Equal(job.Key.Name, misfire.Key.Name);
        Assert.Equal((int)SimpleTriggerMisfireInstruction.FireNow, misfire.Instruction);

        // It fired after the restart, and the job still sees the time it was meant for (Quartz stores milliseconds).
        Assert.True(run.FireTimeUtc > misfiredAfter, $"fired {run.FireTimeUtc:O}, misfired after {misfiredAfter:O}");
        Assert.NotNull(run.ScheduledFireTimeUtc);
        Assert.True((run.ScheduledFireTimeUtc.Value - fireAt).Duration() < TimeSpan.FromMilliseconds(1), $"scheduled {run.ScheduledFireTimeUtc:O}, meant for {fireAt:O}");
    }

    [Fact]
    public async Task Scheduler_OnADatabaseWithoutTheMigrations_RefusesToStart()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var factory = TestStores.Build(TestStores.Options(database, "node-a"));

        var error = await Record.ExceptionAsync(async () => await (await factory.GetScheduler()).Start());

        // Quartz checks the tables it needs at start-up, so a host that forgot the migrations fails at once, by name.
        Assert.NotNull(error);
        Assert.Contains("Database schema validation failed under table prefix 'qrtz_'", error.Message, StringComparison.Ordinal);
    }
}
