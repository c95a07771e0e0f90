using Npgsql;

namespace Scheduler.Deferral.Tests.Support;

/// <summary>What the carbon ledger holds of some Jobs, read straight from its tables (migration 0002).</summary>
internal sealed record LedgerTables(
    IReadOnlyList<LedgerJobRow> Jobs,
    IReadOnlyList<LedgerPlanRow> Plans,
    IReadOnlyList<LedgerRunRow> Runs)
{
    /// <summary>The rows of the Jobs with <paramref name="uids"/>; none before the service's migrations made the tables.</summary>
    public static async Task<LedgerTables> ReadAsync(string connectionString, IReadOnlyCollection<string> uids)
    {
        try
        {
            return await ReadRowsAsync(connectionString, uids);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The service applies the migrations in the background after it starts.
            return new LedgerTables([], [], []);
        }
    }

    private static async Task<LedgerTables> ReadRowsAsync(string connectionString, IReadOnlyCollection<string> uids)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        var ids = uids.ToArray();
        var jobs = await ReadAsync(connection, "SELECT uid, name, deferred, completed_at, outcome FROM ledger_jobs WHERE uid = ANY(@uids) ORDER BY name", ids, r => new LedgerJobRow(
            r.GetString(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetString(4)));
        var plans = await ReadAsync(connection, "SELECT uid, planned_start, zone FROM ledger_plans WHERE uid = ANY(@uids) ORDER BY uid, planned_at", ids, r => new LedgerPlanRow(
            r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetString(2)));
        var runs = await ReadAsync(connection, "SELECT uid, started_at, ended_at, zone FROM ledger_runs WHERE uid = ANY(@uids) ORDER BY uid, started_at", ids, r => new LedgerRunRow(
            r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.GetString(3)));
        return new LedgerTables(jobs, plans, runs);
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, string sql, string[] uids, Func<NpgsqlDataReader, T> row)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("uids", uids);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}

/// <summary>A Job's row in <c>ledger_jobs</c>: its submission, and its completion once recorded.</summary>
internal sealed record LedgerJobRow(string Uid, string Name, bool Deferred, DateTimeOffset? CompletedAt, string? Outcome);

/// <summary>A row of <c>ledger_plans</c>.</summary>
internal sealed record LedgerPlanRow(string Uid, DateTimeOffset PlannedStart, string? Zone);

/// <summary>A row of <c>ledger_runs</c>.</summary>
internal sealed record LedgerRunRow(string Uid, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Zone);
