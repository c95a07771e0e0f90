using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Storage.Migrations;
using Scheduler.Storage.Scheduling;

namespace Scheduler.Storage.Tests.Support;

/// <summary>Migrated databases and Quartz schedulers over them, with intervals short enough for tests.</summary>
internal static class TestStores
{
    /// <summary>Settings for <paramref name="connectionString"/> with one-second check-in, misfire threshold and retry interval.</summary>
    public static StorageOptions Options(string? connectionString, string instanceId = "AUTO") => new()
    {
        ConnectionString = connectionString,
        SchedulerName = "storage-tests",
        InstanceId = instanceId,
        ClusterCheckinIntervalSeconds = 1,
        MisfireThresholdSeconds = 1,
        RetryIntervalSeconds = 1,
    };

    /// <summary>Applies the embedded migrations.</summary>
    public static Task<MigrationResult> MigrateAsync(string connectionString, ILogger<MigrationRunner>? logger = null) =>
        new MigrationRunner(connectionString, logger).ApplyAsync();

    /// <summary>A standalone scheduler factory for <paramref name="options"/>, logging into <paramref name="logs"/> if given.</summary>
    public static StandaloneSchedulerFactory Build(StorageOptions options, CapturingLoggerProvider? logs = null) =>
        QuartzStoreSettings.CreateSchedulerBuilder(options, q =>
        {
            if (logs is not null)
            {
                q.Services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            }
        }).Build();

    /// <summary>A one-shot trigger for <paramref name="job"/> at <paramref name="fireAt"/>.</summary>
    public static ITrigger OneShot(IJobDetail job, DateTimeOffset fireAt, SimpleTriggerMisfireInstruction? misfire = null) =>
        TriggerBuilder.Create()
            .WithIdentity(job.Key.Name, job.Key.Group)
            .ForJob(job)
            .StartAt(fireAt)
            .WithSimpleSchedule(s =>
            {
                if (misfire is { } instruction)
                {
                    s.WithMisfireInstruction(instruction);
                }
            })
            .Build();

    /// <summary>How many rows <paramref name="table"/> has (a Quartz table name, not user input).</summary>
    public static async Task<long> CountAsync(string connectionString, string table) =>
        long.Parse((await Sql.QueryAsync(connectionString, $"SELECT count(*) FROM {table}"))[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>true</c> once the job store has nothing left to do: every one-shot trigger fired, completed and was
    /// deleted. A duplicate firing would have happened by then, so counts read afterwards are final.
    /// </summary>
    public static async Task<bool> IdleAsync(string connectionString) =>
        await CountAsync(connectionString, "qrtz_triggers") == 0 && await CountAsync(connectionString, "qrtz_fired_triggers") == 0;
}
