using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Ledger;

/// <summary>The ledger contract on PostgreSQL (a fresh migrated database per test), and what only the database shows.</summary>
public class PostgresLedgerTests(PostgresFixture postgres) : LedgerContractTests, IClassFixture<PostgresFixture>
{
    private string? _database;

    private string Database => _database ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    [Fact]
    public async Task EveryWrite_Twice_OneRowEach()
    {
        var none = CancellationToken.None;
        for (var round = 0; round < 2; round++)
        {
            await Ledger.RecordSubmissionAsync(Submission("u1"), none);
            await Ledger.RecordPlanAsync(new LedgerPlan("u1", T0, T0.AddHours(1), "DE", T0.AddHours(2), 200, 300, "window"), none);
            await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", "node-a", none);
            await Ledger.RecordRunEndAsync("u1", T0.AddHours(2), none);
            await Ledger.RecordRunStartAsync("u1", T0.AddHours(3), "DE", "node-a", none);
            await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(4)), none);
            await Ledger.RecordActualsAsync([new("DE", T0, 300), new("FR", T0, 40)], none);
            await Ledger.RecordForecastAsync(T0, [new("DE", T0.AddHours(1), 310), new("DE", T0.AddHours(2), 320)], none);
            await Ledger.RecordScoringSamplesAsync([new(T0, "ml", "pod", "node-a", "DE", 7, 1.5, "clean")], none);
        }

        Assert.Equal("1", await CountAsync("ledger_jobs"));
        Assert.Equal("1", await CountAsync("ledger_plans"));
        Assert.Equal("2", await CountAsync("ledger_runs"));
        Assert.Equal("0", await CountAsync("ledger_runs WHERE ended_at IS NULL"));
        Assert.Equal("2", await CountAsync("ledger_intensity_actuals"));
        Assert.Equal("2", await CountAsync("ledger_intensity_forecasts"));
        Assert.Equal("1", await CountAsync("ledger_scoring_samples"));
    }

    [Fact]
    public async Task RecordRunStartAsync_ReplicasAtOnce_AtMostOneOpenRun()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), CancellationToken.None);

        // Each start is written by two replicas; the partial unique index would refuse a second open run.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Ledger.RecordRunStartAsync("u1", T0.AddMinutes(i / 2), "DE", null, CancellationToken.None))));

        Assert.Equal("8", await CountAsync("ledger_runs"));
        Assert.Equal("1", await CountAsync("ledger_runs WHERE ended_at IS NULL AND started_at = '2026-03-01T00:07:00Z'"));
        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal(Enumerable.Range(0, 7).Select(m => new RecordedRun(T0.AddMinutes(m), T0.AddMinutes(m + 1), "DE")), entry.Runs);
    }

    [Fact]
    public async Task RecordActualsAsync_MoreRowsThanOneStatement_AllWrittenInOneTransaction()
    {
        var points = Enumerable.Range(0, PostgresLedger.RowsPerStatement + 2_500).Select(i => new IntensityPoint("DE", T0.AddMinutes(i), i)).ToList();

        await Ledger.RecordActualsAsync(points, CancellationToken.None);
        await Ledger.RecordActualsAsync(points, CancellationToken.None);

        Assert.Equal(points, await Ledger.ReadActualsAsync(["DE"], T0, T0.AddYears(1), CancellationToken.None));
    }

    [Fact]
    public async Task ReadEntriesAsync_StoppedEarly_LeavesNoTransactionOpen()
    {
        var none = CancellationToken.None;
        for (var i = 0; i < PostgresLedger.FetchSize + 10; i++)
        {
            await Ledger.RecordSubmissionAsync(Submission($"u{i:D5}", name: $"n{i}", submitted: T0.AddSeconds(i)), none);
        }

        await foreach (var entry in Ledger.ReadEntriesAsync(WholeMonth, none))
        {
            Assert.Equal("u00000", entry.Uid);
            break;
        }

        var open = await Sql.QueryAsync(Database, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'");
        Assert.Equal(["0"], open);
        Assert.Equal(PostgresLedger.FetchSize + 10, (await ReadAllAsync()).Count);
    }

    /// <inheritdoc />
    protected override int WriteParallelism => 8;

    /// <inheritdoc />
    protected override async Task<ILedger> CreateLedgerAsync()
    {
        _database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(_database);
        return PostgresLedger.Create(new StorageOptions { ConnectionString = _database });
    }

    private async Task<string> CountAsync(string tableAndCondition) => (await Sql.QueryAsync(Database, $"SELECT count(*) FROM {tableAndCondition}"))[0];
}
