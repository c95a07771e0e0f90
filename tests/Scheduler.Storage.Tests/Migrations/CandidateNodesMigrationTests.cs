using Npgsql;
using Scheduler.Storage.Ledger;
using Scheduler.Storage.Migrations;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Migrations;

/// <summary>Migration 0003: the candidate zones' node counts, added to a ledger that already holds Jobs.</summary>
public class CandidateNodesMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task ApplyAsync_LedgerAtVersion2WithAJob_KeepsItReadableWithoutCounts()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database, MigrationCatalog.Embedded.Take(2)).ApplyAsync();
        await Sql.ExecuteAsync(database, """
            INSERT INTO ledger_jobs (uid, kind, namespace, name, submitted_at, expected_duration_seconds, candidate_zones, deferred)
            VALUES ('u1', 'Job', 'ml', 'train', '2026-03-01T00:00:00Z', 3600, ARRAY['DE', 'FR'], true);
            """);

        var result = await new MigrationRunner(database).ApplyAsync();

        Assert.Contains("0003_ledger_candidate_nodes", result.Applied.Select(m => m.Id));
        await using var dataSource = NpgsqlDataSource.Create(database);
        var ledger = new PostgresLedger(dataSource);
        var entry = await ledger.FindEntryAsync("ml", "train", CancellationToken.None);
        Assert.NotNull(entry);
        Assert.Equal(["DE", "FR"], entry.CandidateZones);
        Assert.Null(entry.CandidateNodeCounts);
    }

    [Fact]
    public async Task CandidateNodes_NotOnePerZone_RefusedByTheTable()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(database).ApplyAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(database, """
            INSERT INTO ledger_jobs (uid, kind, namespace, name, submitted_at, expected_duration_seconds, candidate_zones, deferred, candidate_nodes)
            VALUES ('u1', 'Job', 'ml', 'train', '2026-03-01T00:00:00Z', 3600, ARRAY['DE', 'FR'], false, ARRAY[3]);
            """));

        Assert.Equal("ledger_jobs_candidate_nodes_match", error.ConstraintName);
    }
}
