using Scheduler.Storage.Migrations;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Migrations;

/// <summary>Migration 0002: the ledger's tables, on a new database and on one at every earlier version.</summary>
public class LedgerMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] LedgerTables =
    [
        "ledger_intensity_actuals", "ledger_intensity_forecasts", "ledger_jobs", "ledger_plans", "ledger_runs", "ledger_scoring_samples",
    ];

    /// <summary>Every version a database can be at before the latest: 1 .. latest - 1.</summary>
    public static TheoryData<int> EarlierVersions => [.. Enumerable.Range(1, MigrationCatalog.Embedded.Count - 1)];

    [Fact]
    public async Task ApplyAsync_EmptyDatabase_CreatesTheLedgerTablesAndIndexes()
    {
        var database = await postgres.Server.CreateDatabaseAsync();

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Id), result.Applied.Select(m => m.Id));
        Assert.Contains("0002_ledger", result.Applied.Select(m => m.Id));
        var tables = await Sql.TablesAsync(database);
        Assert.All(LedgerTables, table => Assert.Contains(table, tables));
        var indexes = await Sql.QueryAsync(database, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'ledger\\_%'");
        Assert.Contains("ledger_jobs_completed_at", indexes);
        Assert.Contains("ledger_jobs_submitted_at", indexes);
        Assert.Contains("ledger_jobs_namespace_name", indexes);
        Assert.Contains("ledger_runs_one_open", indexes);
        Assert.Contains("ledger_intensity_forecasts_step", indexes);
        var timestamps = await Sql.QueryAsync(database, """
            SELECT DISTINCT data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name LIKE 'ledger\_%' AND (column_name LIKE '%\_at' OR column_name IN ('at', 'deadline', 'holding_from', 'holding_to', 'planned_start', 'latest_start'))
            """);
        Assert.Equal(["timestamp with time zone"], timestamps);
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task ApplyAsync_FromAnEarlierVersion_AppliesTheRestAndKeepsTheData(int version)
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database, MigrationCatalog.Embedded.Take(version)).ApplyAsync();
        await Sql.ExecuteAsync(database, """
            INSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('storage-tests', 'TRIGGER_ACCESS');
            INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery)
            VALUES ('storage-tests', 'held-job', 'deferral', 'Example, Example', true, true, false, true);
            """);

        var result = await new MigrationRunner(database).ApplyAsync();
        var again = await new MigrationRunner(database).ApplyAsync();

        Assert.Equal(MigrationCatalog.Embedded.Skip(version).Select(m => m.Id), result.Applied.Select(m => m.Id));
        Assert.Equal(version, result.AlreadyApplied);
        Assert.Empty(again.Applied);
        Assert.Equal(MigrationCatalog.Embedded.Count, again.AlreadyApplied);
        Assert.Equal(["TRIGGER_ACCESS"], await Sql.QueryAsync(database, "SELECT lock_name FROM qrtz_locks"));
        Assert.Equal(["held-job"], await Sql.QueryAsync(database, "SELECT job_name FROM qrtz_job_details"));
        var tables = await Sql.TablesAsync(database);
        Assert.All(LedgerTables, table => Assert.Contains(table, tables));
        Assert.Equal(
            MigrationCatalog.Embedded.Select(m => $"{m.Version}:{m.Checksum}"),
            await Sql.QueryAsync(database, $"SELECT version || ':' || checksum FROM {MigrationRunner.HistoryTable} ORDER BY version"));
    }

    [Fact]
    public async Task ApplyAsync_LedgerTableMadeElsewhere_FailsAndRollsBack()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await Sql.ExecuteAsync(database, "CREATE TABLE ledger_runs (something_else int)");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database).ApplyAsync());

        Assert.Contains("0002_ledger", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger_jobs", await Sql.TablesAsync(database));
        Assert.Equal(["1"], await Sql.QueryAsync(database, $"SELECT version::text FROM {MigrationRunner.HistoryTable}"));
    }
}
