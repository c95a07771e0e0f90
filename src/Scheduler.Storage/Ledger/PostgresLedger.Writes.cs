using Npgsql;
using NpgsqlTypes;
using Scheduler.Core.Accounting;

namespace Scheduler.Storage.Ledger;

/// <summary>The ledger's writes: each one round trip, one transaction, idempotent.</summary>
public sealed partial class PostgresLedger
{
    /// <inheritdoc />
    public async Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken)
    {
        LedgerValues.Check(submission);
        var command = _dataSource.CreateCommand("""
            INSERT INTO ledger_jobs (uid, kind, namespace, name, team, submitted_at, deadline, expected_duration_seconds, candidate_zones, deferred, candidate_nodes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (uid) DO UPDATE SET
                kind = EXCLUDED.kind, namespace = EXCLUDED.namespace, name = EXCLUDED.name, team = EXCLUDED.team,
                submitted_at = EXCLUDED.submitted_at, deadline = EXCLUDED.deadline,
                expected_duration_seconds = EXCLUDED.expected_duration_seconds,
                candidate_zones = EXCLUDED.candidate_zones, deferred = EXCLUDED.deferred, candidate_nodes = EXCLUDED.candidate_nodes
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
            Add(command.Parameters, submission.CandidateNodeCounts?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
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
