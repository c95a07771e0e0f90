using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>The ledger's reads: entries streamed through a server-side cursor, intensities, plans and samples.</summary>
public sealed partial class PostgresLedger
{
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
            NullableDouble(reader, 19),
            reader.IsDBNull(24) ? null : reader.GetFieldValue<DateTimeOffset>(24),
            NullableString(reader, 25),
            reader.IsDBNull(26) ? null : reader.GetFieldValue<int[]>(26));
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
}
