using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Scheduler.Core.Accounting;

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
public sealed class PostgresLedger : ILedger, IAsyncDisposable, IDisposable
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
        (SELECT p.expected_intensity FROM ledger_plans p WHERE p.uid = j.uid ORDER BY p.planned_at DESC LIMIT 1),
        r.starts, r.ends, r.zones, r.nodes
        FROM ledger_jobs j
        CROSS JOIN LATERAL (
            SELECT array_agg(x.started_at ORDER BY x.started_at) AS starts, array_agg(x.ended_at ORDER BY x.started_at) AS ends,
                   array_agg(x.zone ORDER BY x.started_at) AS zones, array_agg(x.node ORDER BY x.started_at) AS nodes
            FROM ledger_runs x WHERE x.uid = j.uid AND x.ended_at IS NOT NULL) r
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

    /// <inheritdoc />
    public async Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken)
    {
        LedgerValues.Check(submission);
        var command = _dataSource.CreateCommand("""
            INSERT INTO ledger_jobs (uid, kind, namespace, name, team, submitted_at, deadline, expected_duration_seconds, candidate_zones, deferred)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (uid) DO UPDATE SET
                kind = EXCLUDED.kind, namespace = EXCLUDED.namespace, name = EXCLUDED.name, team = EXCLUDED.team,
                submitted_at = EXCLUDED.submitted_at, deadline = EXCLUDED.deadline,
                expected_duration_seconds = EXCLUDED.expected_duration_seconds,
                candidate_zones = EXCLUDED.candidate_zones, deferred = EXCLUDED.deferred
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, submission.Uid, NpgsqlDbType.Text);
            Add(command.Parameters, submission.Kind, NpgsqlDbType.Text);
            Add(command.Parameters, submission.Namespace, NpgsqlDbType.Text);
            Add(command.Parameters, submission.Name, NpgsqlDbType.Text);
            Add(command.Parameters, submission.Team, NpgsqlDbType.Text);
            Add(command.Parameters, LedgerValues.Time(submission.Submitted), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, LedgerValues.Time(submission.Deadline), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, submission.ExpectedDuration.TotalSeconds, NpgsqlDbType.Double);
            Add(command.Parameters, submission.CandidateZones.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Add(command.Parameters, submission.Deferred, NpgsqlDbType.Boolean);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RecordPlanAsync(LedgerPlan plan, CancellationToken cancellationToken)
    {
        LedgerValues.Check(plan);
        var command = _dataSource.CreateCommand("""
            INSERT INTO ledger_plans (uid, planned_at, planned_start, zone, latest_start, expected_intensity, baseline_intensity, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (uid, planned_at) DO NOTHING
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, plan.Uid, NpgsqlDbType.Text);
            Add(command.Parameters, LedgerValues.Time(plan.At), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, LedgerValues.Time(plan.PlannedStart), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, plan.Zone, NpgsqlDbType.Text);
            Add(command.Parameters, LedgerValues.Time(plan.LatestStart), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, plan.ExpectedIntensity, NpgsqlDbType.Double);
            Add(command.Parameters, plan.BaselineIntensity, NpgsqlDbType.Double);
            Add(command.Parameters, plan.Reason, NpgsqlDbType.Text);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A start at the time of a run already recorded changes nothing. Otherwise the Job's runs never overlap: the run
    /// before this start, if still open (its pause was missed) or recorded as ending after it, is ended at this start;
    /// and the new run stays open, unless a later run is already recorded (this start arrived late): then it ended
    /// when that one began.
    /// </remarks>
    public async Task RecordRunStartAsync(string uid, DateTimeOffset start, string zone, string? node, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        start = LedgerValues.Time(start);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                AddLock(batch, uid);
                var close = AddCommand(batch, """
                    UPDATE ledger_runs SET ended_at = $2
                    WHERE uid = $1 AND (ended_at IS NULL OR ended_at > $2)
                      AND started_at = (SELECT max(started_at) FROM ledger_runs WHERE uid = $1 AND started_at < $2)
                      AND NOT EXISTS (SELECT 1 FROM ledger_runs WHERE uid = $1 AND started_at = $2)
                    """);
                Add(close.Parameters, uid, NpgsqlDbType.Text);
                Add(close.Parameters, start, NpgsqlDbType.TimestampTz);
                var insert = AddCommand(batch, """
                    INSERT INTO ledger_runs (uid, started_at, ended_at, zone, node)
                    VALUES ($1, $2, (SELECT min(started_at) FROM ledger_runs WHERE uid = $1 AND started_at > $2), $3, $4)
                    ON CONFLICT (uid, started_at) DO NOTHING
                    """);
                Add(insert.Parameters, uid, NpgsqlDbType.Text);
                Add(insert.Parameters, start, NpgsqlDbType.TimestampTz);
                Add(insert.Parameters, zone, NpgsqlDbType.Text);
                Add(insert.Parameters, node, NpgsqlDbType.Text);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>An end earlier than the open run's start belongs to an earlier run and changes nothing.</remarks>
    public async Task RecordRunEndAsync(string uid, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        endedAt = LedgerValues.Time(endedAt);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                AddLock(batch, uid);
                var end = AddCommand(batch, "UPDATE ledger_runs SET ended_at = $2 WHERE uid = $1 AND ended_at IS NULL AND started_at <= $2");
                Add(end.Parameters, uid, NpgsqlDbType.Text);
                Add(end.Parameters, endedAt, NpgsqlDbType.TimestampTz);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The first completion recorded is kept: a later one (a retry, or a deletion after the Job completed) changes
    /// nothing on the Job. A completion of a uid without a submission is not kept, but still ends its open run.
    /// </remarks>
    public async Task RecordCompletionAsync(LedgerCompletion completion, CancellationToken cancellationToken)
    {
        LedgerValues.Check(completion);
        var at = LedgerValues.Time(completion.At);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                AddLock(batch, completion.Uid);
                var job = AddCommand(batch, """
                    UPDATE ledger_jobs SET completed_at = $2, outcome = $3,
                        cpu_joules = $4, gpu_joules = $5, energy_source = $6,
                        holding_joules = $7, holding_zone = $8, holding_from = $9, holding_to = $10, embodied_grams = $11
                    WHERE uid = $1 AND completed_at IS NULL
                    """);
                Add(job.Parameters, completion.Uid, NpgsqlDbType.Text);
                Add(job.Parameters, at, NpgsqlDbType.TimestampTz);
                Add(job.Parameters, completion.Outcome, NpgsqlDbType.Text);
                Add(job.Parameters, completion.Energy?.CpuJoules, NpgsqlDbType.Double);
                Add(job.Parameters, completion.Energy?.GpuJoules, NpgsqlDbType.Double);
                Add(job.Parameters, completion.Energy is { } energy ? LedgerValues.SourceName(energy.Source) : null, NpgsqlDbType.Text);
                Add(job.Parameters, completion.Holding?.Joules, NpgsqlDbType.Double);
                Add(job.Parameters, completion.Holding?.Zone, NpgsqlDbType.Text);
                Add(job.Parameters, LedgerValues.Time(completion.Holding?.From), NpgsqlDbType.TimestampTz);
                Add(job.Parameters, LedgerValues.Time(completion.Holding?.To), NpgsqlDbType.TimestampTz);
                Add(job.Parameters, completion.EmbodiedGrams, NpgsqlDbType.Double);
                var runs = AddCommand(batch, "UPDATE ledger_runs SET ended_at = GREATEST(started_at, $2) WHERE uid = $1 AND ended_at IS NULL");
                Add(runs.Parameters, completion.Uid, NpgsqlDbType.Text);
                Add(runs.Parameters, at, NpgsqlDbType.TimestampTz);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task RecordActualsAsync(IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(points, lastWins: true);
        await WriteInChunksAsync(distinct, static (batch, chunk) =>
        {
            // The WHERE leaves a row that already holds the value untouched: a rewrite leaves no dead row behind.
            var command = AddCommand(batch, """
                INSERT INTO ledger_intensity_actuals (zone, at, grams_per_kwh)
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[])
                ON CONFLICT (zone, at) DO UPDATE SET grams_per_kwh = EXCLUDED.grams_per_kwh
                WHERE ledger_intensity_actuals.grams_per_kwh IS DISTINCT FROM EXCLUDED.grams_per_kwh
                """);
            AddPoints(command, chunk);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordForecastAsync(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(points, lastWins: false);
        issued = LedgerValues.Time(issued);
        await WriteInChunksAsync(distinct, (batch, chunk) =>
        {
            var command = AddCommand(batch, """
                INSERT INTO ledger_intensity_forecasts (zone, at, grams_per_kwh, issued_at)
                SELECT p.zone, p.at, p.grams, $4 FROM unnest($1::text[], $2::timestamptz[], $3::float8[]) AS p(zone, at, grams)
                ON CONFLICT (zone, issued_at, at) DO NOTHING
                """);
            AddPoints(command, chunk);
            Add(command.Parameters, issued, NpgsqlDbType.TimestampTz);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordScoringSamplesAsync(IReadOnlyList<ScoringSample> samples, CancellationToken cancellationToken)
    {
        var distinct = LedgerValues.Distinct(samples);
        await WriteInChunksAsync(distinct, static (batch, chunk) =>
        {
            // Ordered by position, so that the ids (the order of samples of one instant) follow the order given.
            var command = AddCommand(batch, """
                INSERT INTO ledger_scoring_samples (at, namespace, pod, node, zone, score, grams, reason)
                SELECT s.at, s.namespace, s.pod, s.node, s.zone, s.score, s.grams, s.reason
                FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::float8[], $8::text[])
                    WITH ORDINALITY AS s(at, namespace, pod, node, zone, score, grams, reason, position)
                ORDER BY s.position
                ON CONFLICT (at, namespace, pod, node) DO NOTHING
                """);
            Add(command.Parameters, chunk.Select(s => s.At.UtcDateTime).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
            Add(command.Parameters, chunk.Select(s => s.Namespace).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Add(command.Parameters, chunk.Select(s => s.Pod).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Add(command.Parameters, chunk.Select(s => s.Node).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Add(command.Parameters, chunk.Select(s => s.Zone).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Add(command.Parameters, chunk.Select(s => s.Score).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
            Add(command.Parameters, chunk.Select(s => s.Grams).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double);
            Add(command.Parameters, chunk.Select(s => s.Reason).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadEntriesAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LedgerValues.Check(query);
        var parameters = new List<NpgsqlParameter>();
        var sql = $"DECLARE ledger_entries NO SCROLL CURSOR FOR SELECT {EntryColumns}\n"
            + "WHERE ((j.completed_at >= $1 AND j.completed_at < $2) OR (j.completed_at IS NULL AND j.submitted_at >= $1 AND j.submitted_at < $2))";
        Add(parameters, LedgerValues.Time(query.From), NpgsqlDbType.TimestampTz);
        Add(parameters, LedgerValues.Time(query.To), NpgsqlDbType.TimestampTz);
        if (query.Namespace is not null)
        {
            Add(parameters, query.Namespace, NpgsqlDbType.Text);
            sql += $" AND j.namespace = ${parameters.Count}";
        }

        if (query.Team is not null)
        {
            Add(parameters, query.Team, NpgsqlDbType.Text);
            sql += $" AND j.team = ${parameters.Count}";
        }

        sql += "\nORDER BY j.submitted_at, j.uid";

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The cursor lives in this transaction; leaving early rolls it back, which closes the cursor unread.
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var declare = new NpgsqlCommand(sql, connection, transaction);
                await using (declare.ConfigureAwait(false))
                {
                    foreach (var parameter in parameters)
                    {
                        declare.Parameters.Add(parameter);
                    }

                    await declare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var fetch = new NpgsqlCommand($"FETCH FORWARD {FetchSize} FROM ledger_entries", connection, transaction);
                await using (fetch.ConfigureAwait(false))
                {
                    var fetched = FetchSize;
                    while (fetched == FetchSize)
                    {
                        fetched = 0;
                        var page = new List<LedgerEntry>(FetchSize);
                        var reader = await fetch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                page.Add(ReadEntry(reader));
                                fetched++;
                            }
                        }

                        foreach (var entry in page)
                        {
                            yield return entry;
                        }
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<LedgerEntry?> FindEntryAsync(string jobNamespace, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var command = _dataSource.CreateCommand($"SELECT {EntryColumns}\nWHERE j.namespace = $1 AND j.name = $2 ORDER BY j.submitted_at DESC, j.uid DESC LIMIT 1");
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, jobNamespace, NpgsqlDbType.Text);
            Add(command.Parameters, name, NpgsqlDbType.Text);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerPlan>> ReadPlansAsync(string uid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        var command = _dataSource.CreateCommand("""
            SELECT uid, planned_at, planned_start, zone, latest_start, expected_intensity, baseline_intensity, reason
            FROM ledger_plans WHERE uid = $1 ORDER BY planned_at
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, uid, NpgsqlDbType.Text);
            var plans = new List<LedgerPlan>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    plans.Add(new LedgerPlan(
                        reader.GetString(0),
                        reader.GetFieldValue<DateTimeOffset>(1),
                        reader.GetFieldValue<DateTimeOffset>(2),
                        NullableString(reader, 3),
                        reader.GetFieldValue<DateTimeOffset>(4),
                        NullableDouble(reader, 5),
                        NullableDouble(reader, 6),
                        reader.GetString(7)));
                }
            }

            return plans;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntensityPoint>> ReadActualsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var wanted = await ZonesAsync(zones, ActualsTable, cancellationToken).ConfigureAwait(false);
        return await ReadPointsAsync(
            $"""
            SELECT zone, at, grams_per_kwh FROM {ActualsTable}
            WHERE zone = ANY($1) AND at >= $2 AND at < $3
            ORDER BY zone, at
            """,
            wanted,
            parameters =>
            {
                Add(parameters, LedgerValues.Time(from), NpgsqlDbType.TimestampTz);
                Add(parameters, LedgerValues.Time(until), NpgsqlDbType.TimestampTz);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Every zone when <paramref name="zones"/> is empty, as for <see cref="ReadActualsAsync"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ahead"/> is negative.</exception>
    public async Task<IReadOnlyList<IntensityPoint>> ReadForecastsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, TimeSpan ahead, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ahead, TimeSpan.Zero);
        var wanted = await ZonesAsync(zones, ForecastsTable, cancellationToken).ConfigureAwait(false);
        return await ReadPointsAsync(
            $"""
            SELECT DISTINCT ON (zone, at) zone, at, grams_per_kwh FROM {ForecastsTable}
            WHERE zone = ANY($1) AND at >= $2 AND at < $3 AND issued_at <= at - $4
            ORDER BY zone, at, issued_at DESC
            """,
            wanted,
            parameters =>
            {
                Add(parameters, LedgerValues.Time(from), NpgsqlDbType.TimestampTz);
                Add(parameters, LedgerValues.Time(until), NpgsqlDbType.TimestampTz);
                Add(parameters, ahead, NpgsqlDbType.Interval);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every zone when <paramref name="zones"/> is empty, as for <see cref="ReadActualsAsync"/>. Only the latest issue
    /// counts: a step it does not cover is missing from the answer, even if an earlier issue covered it.
    /// </remarks>
    public async Task<IReadOnlyList<IntensityPoint>> ReadForecastIssuedByAsync(IReadOnlyCollection<string> zones, DateTimeOffset issuedBy, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var wanted = await ZonesAsync(zones, ForecastsTable, cancellationToken).ConfigureAwait(false);
        return await ReadPointsAsync(
            $"""
            SELECT f.zone, f.at, f.grams_per_kwh
            FROM unnest($1::text[]) AS z(zone)
            CROSS JOIN LATERAL (SELECT max(i.issued_at) AS issued_at FROM {ForecastsTable} i WHERE i.zone = z.zone AND i.issued_at <= $2) latest
            JOIN {ForecastsTable} f ON f.zone = z.zone AND f.issued_at = latest.issued_at
            WHERE f.at >= $3 AND f.at < $4
            ORDER BY f.zone, f.at
            """,
            wanted,
            parameters =>
            {
                Add(parameters, LedgerValues.Time(issuedBy), NpgsqlDbType.TimestampTz);
                Add(parameters, LedgerValues.Time(from), NpgsqlDbType.TimestampTz);
                Add(parameters, LedgerValues.Time(until), NpgsqlDbType.TimestampTz);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScoringSample>> ReadScoringSamplesAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var command = _dataSource.CreateCommand("""
            SELECT at, namespace, pod, node, zone, score, grams, reason FROM ledger_scoring_samples
            WHERE at >= $1 AND at < $2 ORDER BY at, id LIMIT $3
            """);
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, LedgerValues.Time(from), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, LedgerValues.Time(until), NpgsqlDbType.TimestampTz);
            Add(command.Parameters, limit, NpgsqlDbType.Integer);
            var samples = new List<ScoringSample>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    samples.Add(new ScoringSample(
                        reader.GetFieldValue<DateTimeOffset>(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetString(3),
                        NullableString(reader, 4),
                        reader.GetInt32(5),
                        NullableDouble(reader, 6),
                        reader.GetString(7)));
                }
            }

            return samples;
        }
    }

    private async Task<IReadOnlyList<IntensityPoint>> ReadPointsAsync(string sql, string[] zones, Action<NpgsqlParameterCollection> addParameters, CancellationToken cancellationToken)
    {
        if (zones.Length == 0)
        {
            return [];
        }

        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            Add(command.Parameters, zones, NpgsqlDbType.Array | NpgsqlDbType.Text);
            addParameters(command.Parameters);
            var points = new List<IntensityPoint>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    points.Add(new IntensityPoint(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2)));
                }
            }

            return points;
        }
    }

    // The zones asked for, or every zone of the table (one of the constants above) when none are: a skip scan of its
    // key, one index probe per zone, instead of reading the whole table.
    private async Task<string[]> ZonesAsync(IReadOnlyCollection<string> zones, string table, CancellationToken cancellationToken)
    {
        var wanted = LedgerValues.Zones(zones);
        if (wanted.Length > 0)
        {
            return wanted;
        }

        var command = _dataSource.CreateCommand($"""
            WITH RECURSIVE zones(zone) AS (
                (SELECT zone FROM {table} ORDER BY zone LIMIT 1)
                UNION ALL
                SELECT (SELECT t.zone FROM {table} t WHERE t.zone > zones.zone ORDER BY t.zone LIMIT 1) FROM zones WHERE zones.zone IS NOT NULL
            )
            SELECT zone FROM zones WHERE zone IS NOT NULL
            """);
        await using (command.ConfigureAwait(false))
        {
            var all = new List<string>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    all.Add(reader.GetString(0));
                }
            }

            return [.. all];
        }
    }

    private async Task WriteInChunksAsync<T>(List<T> rows, Action<NpgsqlBatch, List<T>> addStatement, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One batch is one implicit transaction: all the rows are written, or none.
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var chunk in rows.Chunk(RowsPerStatement))
                {
                    addStatement(batch, [.. chunk]);
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static LedgerEntry ReadEntry(NpgsqlDataReader reader)
    {
        JobEnergy? energy = reader.IsDBNull(11)
            ? null
            : new JobEnergy(reader.GetDouble(11), reader.GetDouble(12), LedgerValues.Source(reader.GetString(13)));
        HoldingEnergy? holding = reader.IsDBNull(14)
            ? null
            : new HoldingEnergy(reader.GetDouble(14), reader.GetString(15), reader.GetFieldValue<DateTimeOffset>(16), reader.GetFieldValue<DateTimeOffset>(17));
        return new LedgerEntry(
            reader.GetString(0),
            reader.GetString(2),
            reader.GetString(3),
            NullableString(reader, 4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetFieldValue<string[]>(7),
            reader.GetBoolean(8),
            ReadRuns(reader),
            energy,
            holding,
            NullableDouble(reader, 18),
            reader.GetString(1),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            NullableString(reader, 10),
            NullableDouble(reader, 19));
    }

    private static RecordedRun[] ReadRuns(NpgsqlDataReader reader)
    {
        if (reader.IsDBNull(20))
        {
            return [];
        }

        var starts = reader.GetFieldValue<DateTime[]>(20);
        var ends = reader.GetFieldValue<DateTime[]>(21);
        var zones = reader.GetFieldValue<string[]>(22);
        var nodes = reader.GetFieldValue<string?[]>(23);
        var runs = new RecordedRun[starts.Length];
        for (var i = 0; i < runs.Length; i++)
        {
            runs[i] = new RecordedRun(Utc(starts[i]), Utc(ends[i]), zones[i], nodes[i]);
        }

        return runs;
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static void AddLock(NpgsqlBatch batch, string uid)
    {
        var command = AddCommand(batch, LockJob);
        Add(command.Parameters, uid, NpgsqlDbType.Text);
    }

    private static NpgsqlBatchCommand AddCommand(NpgsqlBatch batch, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static void AddPoints(NpgsqlBatchCommand command, List<IntensityPoint> points)
    {
        Add(command.Parameters, points.Select(p => p.Zone).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        Add(command.Parameters, points.Select(p => p.At.UtcDateTime).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
        Add(command.Parameters, points.Select(p => p.GramsPerKwh).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double);
    }

    private static void Add(NpgsqlParameterCollection parameters, object? value, NpgsqlDbType type) =>
        parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });

    private static void Add(List<NpgsqlParameter> parameters, object? value, NpgsqlDbType type) =>
        parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
}
