using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Scheduler.Storage.Migrations;

/// <summary>
/// Brings a PostgreSQL database up to this build's schema at start-up. Replicas that start together are
/// serialised by a PostgreSQL advisory lock; each applied version is recorded with its checksum in
/// <c>schema_migrations</c>; the missing ones are applied in version order, each in its own transaction; and a
/// database whose applied migration no longer matches this build's file is refused before anything changes.
/// </summary>
public sealed partial class MigrationRunner
{
    /// <summary>
    /// The advisory lock key every replica takes while migrating (ASCII "carbonmg"). Advisory locks are per
    /// database, so replicas of another application in the same server are not held up unless they pick it too.
    /// </summary>
    public const long AdvisoryLockKey = 0x63_61_72_62_6F_6E_6D_67;

    /// <summary>The table that records the applied migrations.</summary>
    public const string HistoryTable = "schema_migrations";

    private const string CreateHistoryTableSql =
        $"""
        CREATE TABLE IF NOT EXISTS {HistoryTable} (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL,
            duration_ms BIGINT NOT NULL
        )
        """;

    private readonly string _connectionString;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>A runner for the migrations embedded in this assembly.</summary>
    /// <param name="connectionString">Where to migrate; may carry the password, which is never logged.</param>
    /// <param name="logger">Where to report; none by default.</param>
    /// <param name="timeProvider">The clock for <c>applied_at</c> and durations; the system clock by default.</param>
    public MigrationRunner(string connectionString, ILogger<MigrationRunner>? logger = null, TimeProvider? timeProvider = null)
        : this(connectionString, MigrationCatalog.Embedded, logger, timeProvider)
    {
    }

    /// <summary>A runner for the given migrations (they must be numbered 1, 2, 3, ...).</summary>
    /// <param name="connectionString">Where to migrate; may carry the password, which is never logged.</param>
    /// <param name="migrations">The migrations this build knows.</param>
    /// <param name="logger">Where to report; none by default.</param>
    /// <param name="timeProvider">The clock for <c>applied_at</c> and durations; the system clock by default.</param>
    public MigrationRunner(string connectionString, IEnumerable<Migration> migrations, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        _migrations = MigrationCatalog.Ordered(migrations);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// The runner a host uses at start-up: the embedded migrations, the connection string of <paramref name="options"/>
    /// (password file merged in) and its <see cref="StorageOptions.MigrationLockTimeoutSeconds"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No database is configured, or its settings cannot be used.</exception>
    public static MigrationRunner ForOptions(StorageOptions options, ILogger<MigrationRunner>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ResolveConnectionString()
            ?? throw new InvalidOperationException($"{StorageOptions.SectionName}:ConnectionString is not set: there is no database to migrate (the in-memory store needs none).");
        return new MigrationRunner(connectionString, logger, timeProvider)
        {
            LockTimeout = TimeSpan.FromSeconds(options.MigrationLockTimeoutSeconds),
        };
    }

    /// <summary>How long to wait for another replica that holds the migration lock. Default 5 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one migration's statements may run. Default 5 minutes.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Applies the migrations the database does not have yet.</summary>
    /// <exception cref="MigrationException">
    /// An applied migration differs from this build's, the lock was not granted within <see cref="LockTimeout"/>,
    /// or a migration failed (it was rolled back; the ones before it stay applied).
    /// </exception>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async Task<MigrationResult> ApplyAsync(CancellationToken cancellationToken = default)
    {
        var target = ConnectionStrings.Describe(_connectionString);
        var connection = new NpgsqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await AcquireLockAsync(connection, target, cancellationToken).ConfigureAwait(false);
            try
            {
                return await ApplyUnderLockAsync(connection, target, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await ReleaseLockAsync(connection).ConfigureAwait(false);
            }
        }
    }

    private async Task<MigrationResult> ApplyUnderLockAsync(NpgsqlConnection connection, string target, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, CreateHistoryTableSql, cancellationToken).ConfigureAwait(false);
        var recorded = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        RefuseChangedMigrations(recorded);

        var known = _migrations.Select(m => m.Version).ToHashSet();
        var unknown = recorded.Values.Where(r => !known.Contains(r.Version)).OrderBy(r => r.Version).Select(r => r.Id).ToList();
        if (unknown.Count > 0)
        {
            LogUnknownMigrations(_logger, target, string.Join(", ", unknown));
        }

        var pending = _migrations.Where(m => !recorded.ContainsKey(m.Version)).ToList();
        if (pending.Count == 0)
        {
            LogCurrent(_logger, target, recorded.Count);
            return new MigrationResult([], _migrations.Count, unknown);
        }

        foreach (var migration in pending)
        {
            await ApplyOneAsync(connection, migration, target, cancellationToken).ConfigureAwait(false);
        }

        return new MigrationResult(pending, _migrations.Count - pending.Count, unknown);
    }

    private void RefuseChangedMigrations(Dictionary<int, AppliedMigration> recorded)
    {
        var problems = new List<string>();
        foreach (var migration in _migrations)
        {
            if (!recorded.TryGetValue(migration.Version, out var applied))
            {
                continue;
            }

            if (!string.Equals(applied.Name, migration.Name, StringComparison.Ordinal))
            {
                problems.Add($"version {migration.Version} was applied as {applied.Id}, but this build calls it {migration.Id}");
            }
            else if (!string.Equals(applied.Checksum, migration.Checksum, StringComparison.Ordinal))
            {
                problems.Add($"{migration.Id} was applied with checksum {applied.Checksum}, but this build's {migration.Id}.sql has checksum {migration.Checksum}");
            }
        }

        if (problems.Count > 0)
        {
            // Re-running an edited migration is impossible and skipping it would leave databases that differ by
            // when they were created, so the only safe answer is to stop before anything changes.
            throw new MigrationException(
                $"The database schema does not match this build's migrations: {string.Join("; ", problems)}. "
                + "A migration must never change once it has been applied: restore the released file and put the change in a new migration.");
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, string target, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                var command = new NpgsqlCommand(
                    $"INSERT INTO {HistoryTable} (version, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, $4, $5)",
                    connection,
                    transaction);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
                    command.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
                    command.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
                    command.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow() });
                    command.Parameters.Add(new NpgsqlParameter { Value = (long)_time.GetElapsedTime(started).TotalMilliseconds });
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                // The transaction is rolled back on disposal: the failed migration leaves nothing behind.
                throw new MigrationException($"Migration {migration.Id} failed on {target} and was rolled back: {e.Message}", e);
            }
        }

        var elapsed = _time.GetElapsedTime(started);
        LogApplied(_logger, migration.Id, target, elapsed.TotalMilliseconds);
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, string target, CancellationToken cancellationToken)
    {
        // A session-level lock, held on this connection across the per-migration transactions. lock_timeout bounds
        // the wait for a replica that is migrating (or hung); the lock goes with the session if this process dies.
        var timeoutMs = (long)Math.Ceiling(LockTimeout.TotalMilliseconds);
        await ExecuteAsync(connection, null, string.Create(CultureInfo.InvariantCulture, $"SET lock_timeout = {timeoutMs}"), cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _time.GetTimestamp();
            await ExecuteAsync(connection, null, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_lock({AdvisoryLockKey})"), cancellationToken, LockTimeout).ConfigureAwait(false);
            var waited = _time.GetElapsedTime(started);
            if (waited > TimeSpan.FromSeconds(1))
            {
                LogWaited(_logger, waited.TotalSeconds, target);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new MigrationException(
                $"Another replica has held the migration lock on {target} for longer than {LockTimeout.TotalSeconds:F0} s "
                + $"(pg_advisory_lock({AdvisoryLockKey}); see pg_locks where locktype = 'advisory'). Start again once it has finished or died.",
                e);
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, "RESET lock_timeout", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await ExecuteAsync(connection, null, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_unlock({AdvisoryLockKey})"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            // The lock belongs to the session: closing the broken connection releases it all the same.
            LogUnlockFailed(_logger, e);
        }
    }

    private static async Task<Dictionary<int, AppliedMigration>> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<int, AppliedMigration>();
        var command = new NpgsqlCommand($"SELECT version, name, checksum FROM {HistoryTable}", connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var applied = new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
                    recorded[applied.Version] = applied;
                }
            }
        }

        return recorded;
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var command = new NpgsqlCommand(sql, connection, transaction)
        {
            // Whole seconds, rounded up so that a short timeout never becomes 0 (which Npgsql reads as "no limit").
            CommandTimeout = (int)Math.Ceiling((timeout ?? CommandTimeout).TotalSeconds) + 5,
        };
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database {Target} has migrations this build does not know ({Unknown}): a newer release has migrated it; leaving them as they are")]
    private static partial void LogUnknownMigrations(ILogger logger, string target, string unknown);

    [LoggerMessage(Level = LogLevel.Information, Message = "The schema of {Target} is current ({Count} migrations applied)")]
    private static partial void LogCurrent(ILogger logger, string target, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} to {Target} in {Milliseconds:F0} ms")]
    private static partial void LogApplied(ILogger logger, string migration, string target, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waited {Seconds:F1} s for another replica to finish migrating {Target}")]
    private static partial void LogWaited(ILogger logger, double seconds, string target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not release the migration lock explicitly; closing the connection releases it")]
    private static partial void LogUnlockFailed(ILogger logger, Exception exception);

    private sealed record AppliedMigration(int Version, string Name, string Checksum)
    {
        public string Id => string.Create(CultureInfo.InvariantCulture, $"{Version:D4}_{Name}");
    }
}
