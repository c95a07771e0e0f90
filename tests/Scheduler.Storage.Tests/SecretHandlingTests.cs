using Microsoft.Extensions.Logging;
using Npgsql;
using Scheduler.Storage.Migrations;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests;

/// <summary>The database password appears in no log line, whatever Quartz and the migrations log, even at Trace.</summary>
public class SecretHandlingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    // The fixture's server trusts loopback connections, so a password is sent along but never checked.
    private const string Secret = "s3cret-Passw0rd-in-a-file";

    [Fact]
    public async Task MigrationsAndScheduler_PasswordFromAFile_NeverLogged()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var file = Path.GetTempFileName();
        var logs = new CapturingLoggerProvider();
        try
        {
            await File.WriteAllTextAsync(file, Secret);
            var options = TestStores.Options(database, "node-a");
            options.PasswordFile = file;
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            await MigrationRunner.ForOptions(options, loggerFactory.CreateLogger<MigrationRunner>()).ApplyAsync();
            var log = Executions.Create();
            await using (var factory = TestStores.Build(options, logs))
            {
                var scheduler = await factory.GetScheduler();
                await scheduler.Start();
                var job = CountingJob.Detail(log, "logged");
                await scheduler.ScheduleJob(job, TestStores.OneShot(job, DateTimeOffset.UtcNow.AddMilliseconds(500)));
                await Eventually.HoldsAsync(() => log.Count >= 1, TimeSpan.FromSeconds(45), log.Describe);
                await scheduler.Shutdown(waitForJobsToComplete: true);
            }

            Assert.Contains(logs.Entries, e => e.Contains("Applied migration 0001_quartz", StringComparison.Ordinal) && e.Contains("Password=***", StringComparison.Ordinal));
            Assert.Contains(logs.Entries, e => e.Contains("Quartz", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Entries, e => e.Contains(Secret, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UnreachableDatabase_PasswordNotInErrorsOrLogs()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString())
        {
            Port = 1, // nothing listens on port 1
            Password = Secret,
            Timeout = 2,
        }.ConnectionString;
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        var migrationError = await Assert.ThrowsAnyAsync<Exception>(() => new MigrationRunner(unreachable, loggerFactory.CreateLogger<MigrationRunner>()).ApplyAsync());
        Exception? schedulerError = null;
        await using (var factory = TestStores.Build(TestStores.Options(unreachable, "node-a"), logs))
        {
            schedulerError = await Record.ExceptionAsync(async () => await (await factory.GetScheduler()).Start());
        }

        Assert.NotNull(schedulerError);
        Assert.DoesNotContain(Secret, migrationError.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, schedulerError.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Contains(Secret, StringComparison.Ordinal));
    }
}
