using System.Globalization;
using Npgsql;

namespace Scheduler.Storage.Ledger;

/// <summary>
/// The ledger in PostgreSQL: the tables of migration <c>0002_ledger</c>, which must have been applied
/// (<see cref="Migrations.MigrationRunner"/>) before the first call.
/// </summary>
/// <remarks>
/// <para>
/// Every write is one round trip and one transaction, and idempotent: rows are keyed (a Job by uid, a plan by uid
/// and time, a run by uid and start, an intensity by zone and time, a forecast value by zone, time and issue, a
/// scoring sample by time, namespace, pod and node) and written with <c>INSERT ... ON CONFLICT</c>. The writes
/// that touch a Job's runs take a transaction-scoped advisory lock on its uid, so that replicas recording the same
/// Job at once keep at most one open run. Intensities and samples are written as arrays (<c>unnest</c>), in
/// statements of at most <see cref="RowsPerStatement"/> rows, all in one transaction.
/// </para>
/// <para>
/// <see cref="ReadEntriesAsync"/> streams: a server-side cursor over the Jobs in submission order, each row
/// carrying its runs (as arrays) and its last plan's expected intensity, fetched <see cref="FetchSize"/> rows at
/// a time; stopping early closes the cursor without reading the rest. The enumeration holds one connection and an
/// open transaction until it ends, so it should be consumed promptly (a report writer, not a user's pace). Times are
/// kept in UTC to the microsecond.
/// </para>
/// </remarks>
public sealed partial class PostgresLedger : ILedger, IAsyncDisposable, IDisposable
{
    /// <summary>The most rows one statement writes.</summary>
    public const int RowsPerStatement = 10_000;

    /// <summary>How many entries one fetch from the cursor reads.</summary>
    public const int FetchSize = 1_000;

    /// <summary>The first key of the per-Job advisory locks (ASCII "ledg"); the second is the hash of the uid.</summary>
    public const int RunLockKey = 0x6C_65_64_67;

    private const string ActualsTable = "ledger_intensity_actuals";

    private const string ForecastsTable = "ledger_intensity_forecasts";

    private static readonly string LockJob = string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({RunLockKey}, hashtext($1))");

    private const string EntryColumns = """
        j.uid, j.kind, j.namespace, j.name, j.team, j.submitted_at, j.deadline, j.candidate_zones, j.deferred,
        j.completed_at, j.outcome, j.cpu_joules, j.gpu_joules, j.energy_source,
        j.holding_joules, j.holding_zone, j.holding_from, j.holding_to, j.embodied_grams,
        p.expected_intensity,
        r.starts, r.ends, r.zones, r.nodes,
        p.planned_start, p.zone, j.candidate_nodes
        FROM ledger_jobs j
        CROSS JOIN LATERAL (
            SELECT array_agg(x.started_at ORDER BY x.started_at) AS starts, array_agg(x.ended_at ORDER BY x.started_at) AS ends,
                   array_agg(x.zone ORDER BY x.started_at) AS zones, array_agg(x.node ORDER BY x.started_at) AS nodes
            FROM ledger_runs x WHERE x.uid = j.uid AND x.ended_at IS NOT NULL) r
        LEFT JOIN LATERAL (
            SELECT l.expected_intensity, l.planned_start, l.zone
            FROM ledger_plans l WHERE l.uid = j.uid ORDER BY l.planned_at DESC LIMIT 1) p ON TRUE
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>A ledger over <paramref name="dataSource"/>, which the caller keeps and disposes.</summary>
    public PostgresLedger(NpgsqlDataSource dataSource)
        : this(dataSource, ownsDataSource: false)
    {
    }

    private PostgresLedger(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>
    /// A ledger over the database of <paramref name="options"/>, with a connection pool of its own that
    /// <see cref="DisposeAsync"/> closes. A <see cref="StorageOptions.PasswordFile"/> is read again for every new connection.
    /// </summary>
    /// <exception cref="InvalidOperationException">No database is configured, or its settings cannot be used.</exception>
    public static PostgresLedger Create(StorageOptions options) => new(StorageDataSource.Create(options), ownsDataSource: true);

    /// <summary>Closes the connection pool if this ledger created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection pool if this ledger created it.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
