using Npgsql;
using Scheduler.Storage.Migrations;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Migrations;

public class MigrationRunnerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>The tables of Quartz's ADO job store that every Quartz version since 2.x has.</summary>
    private static readonly string[] ClassicQuartzTables =
    [
        "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers",
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_fired_triggers",
        "qrtz_scheduler_state", "qrtz_locks",
    ];

    /// <summary>The migration after this build's last one, counting how often it ran: it has no IF NOT EXISTS on purpose.</summary>
    private static readonly Migration Probe = new(MigrationCatalog.Embedded.Count + 1, "probe", "CREATE TABLE migration_probe (ran_at timestamptz NOT NULL DEFAULT now());\nINSERT INTO migration_probe DEFAULT VALUES;");

    [Fact]
    public async Task ApplyAsync_EmptyDatabase_CreatesEveryQuartzTableAndIndex()
    {
        var database = await postgres.Server.CreateDatabaseAsync();

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Id), result.Applied.Select(m => m.Id));
        Assert.Equal("0001_quartz", result.Applied[0].Id);
        Assert.Equal(0, result.AlreadyApplied);
        var tables = await Sql.TablesAsync(database);
        Assert.All(ClassicQuartzTables, table => Assert.Contains(table, tables));
        Assert.Contains(MigrationRunner.HistoryTable, tables);
        var indexes = await Sql.QueryAsync(database, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
        Assert.Contains("idx_qrtz_t_nft_st", indexes);
        Assert.Contains("idx_qrtz_ft_inst_job_req_rcvry", indexes);
        var history = await Sql.QueryAsync(database, $"SELECT version || ':' || name || ':' || checksum FROM {MigrationRunner.HistoryTable} ORDER BY version");
        Assert.Equal(MigrationCatalog.Embedded.Select(m => $"{m.Version}:{m.Name}:{m.Checksum}"), history);
    }

    [Fact]
    public async Task ApplyAsync_SecondRun_ChangesNothing()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database).ApplyAsync();
        var before = await SnapshotAsync(database);

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Empty(result.Applied);
        Assert.Equal(MigrationCatalog.Embedded.Count, result.AlreadyApplied);
        Assert.Equal(before, await SnapshotAsync(database));
    }

    [Fact]
    public async Task ApplyAsync_QuartzTablesAlreadyThere_AdoptsThem()
    {
        // A database whose Quartz tables were made by hand (or by Quartz's own provisioning) before the runner existed.
        var database = await postgres.Server.CreateDatabaseAsync();
        await Sql.ExecuteAsync(database, MigrationCatalog.Embedded[0].Sql);

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Id), result.Applied.Select(m => m.Id));
    }

    [Fact]
    public async Task ApplyAsync_RunnersInParallel_ApplyEachMigrationExactlyOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var migrations = MigrationCatalog.Embedded.Append(Probe).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new MigrationRunner(database, migrations).ApplyAsync())));

        Assert.Equal(migrations.Count, results.Sum(r => r.Applied.Count));
        Assert.Equal(migrations.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), await Sql.QueryAsync(database, $"SELECT version::text FROM {MigrationRunner.HistoryTable} ORDER BY version"));
        Assert.Equal(["1"], await Sql.QueryAsync(database, "SELECT count(*)::text FROM migration_probe"));
    }

    [Fact]
    public async Task ApplyAsync_AppliedMigrationEdited_IsRefusedBeforeAnythingChanges()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database).ApplyAsync();
        var original = MigrationCatalog.Embedded[0];
        var edited = new Migration(1, "quartz", original.Sql + "\nCREATE INDEX IF NOT EXISTS idx_extra ON qrtz_locks (lock_name);\n");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database, [edited, .. MigrationCatalog.Embedded.Skip(1), Probe]).ApplyAsync());

        Assert.Contains($"0001_quartz was applied with checksum {original.Checksum}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"has checksum {edited.Checksum}", error.Message, StringComparison.Ordinal);
        Assert.Contains("must never change", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("migration_probe", await Sql.TablesAsync(database));
    }

    [Fact]
    public async Task ApplyAsync_FailingMigration_IsRolledBackAndNotRecorded()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var broken = new Migration(MigrationCatalog.Embedded.Count + 1, "broken", "CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database, [.. MigrationCatalog.Embedded, broken]).ApplyAsync());

        Assert.Contains(broken.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        var tables = await Sql.TablesAsync(database);
        Assert.DoesNotContain("half_done", tables);
        Assert.Contains("qrtz_triggers", tables);
        Assert.Equal(MigrationCatalog.Embedded.Count, (await Sql.QueryAsync(database, $"SELECT version::text FROM {MigrationRunner.HistoryTable}")).Count);
    }

    [Fact]
    public async Task ApplyAsync_LockHeldByAnotherReplica_GivesUpWithAClearMessage()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var other = new NpgsqlConnection(database);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationRunner.AdvisoryLockKey})", other))
        {
            await take.ExecuteNonQueryAsync();
        }

        var runner = new MigrationRunner(database) { LockTimeout = TimeSpan.FromSeconds(1) };
        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.ApplyAsync());

        Assert.Contains("held the migration lock", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("qrtz_triggers", await Sql.TablesAsync(database));
    }

    [Fact]
    public async Task ApplyAsync_DatabaseMigratedByANewerRelease_LeavesTheUnknownMigrationsAlone()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database, [.. MigrationCatalog.Embedded, Probe]).ApplyAsync();

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Empty(result.Applied);
        Assert.Equal([Probe.Id], result.Unknown);
    }

    private static async Task<string> SnapshotAsync(string database)
    {
        var columns = await Sql.QueryAsync(database, """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """);
        var indexes = await Sql.QueryAsync(database, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
        var history = await Sql.QueryAsync(database, $"SELECT version || name || checksum || applied_at::text || duration_ms FROM {MigrationRunner.HistoryTable} ORDER BY version");
        return string.Join('\n', columns.Concat(indexes).Concat(history));
    }
}
