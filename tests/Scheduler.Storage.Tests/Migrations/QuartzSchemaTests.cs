using System.Text.RegularExpressions;
using Quartz;
using Scheduler.Storage.Migrations;
using Scheduler.Storage.Scheduling;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Migrations;

/// <summary>
/// Migration 0001 must build exactly the tables, columns, keys and indexes that the Quartz package in use creates for
/// itself on PostgreSQL. A Quartz upgrade that changes its schema fails here, and needs a new migration.
/// </summary>
public class QuartzSchemaTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string QuartzSchemaResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    [Fact]
    public async Task Migration0001_SameSchemaAsTheQuartzPackageCreates()
    {
        var ours = await postgres.Server.CreateDatabaseAsync();
        var quartzOwn = await postgres.Server.CreateDatabaseAsync();
        await new MigrationRunner(ours).ApplyAsync();
        foreach (var statement in QuartzOwnStatements())
        {
            await Sql.ExecuteAsync(quartzOwn, statement);
        }

        var expected = await SnapshotAsync(quartzOwn);
        var actual = await SnapshotAsync(ours);

        Assert.NotEmpty(expected);
        Assert.True(
            expected.SequenceEqual(actual),
            "Migration 0001 differs from the schema the Quartz package creates. Only in Quartz's:\n  "
            + string.Join("\n  ", expected.Except(actual)) + "\nOnly in ours:\n  " + string.Join("\n  ", actual.Except(expected)));
    }

    private static IEnumerable<string> QuartzOwnStatements()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(QuartzSchemaResource)
            ?? throw new InvalidOperationException($"The Quartz package no longer embeds {QuartzSchemaResource}; compare migration 0001 with its schema another way.");
        using var reader = new StreamReader(stream);

        // The script's own conventions: {0} is the table prefix, {1} the prefix in index names, '--;;' separates statements.
        var script = reader.ReadToEnd().Replace("{0}", QuartzStoreSettings.TablePrefix, StringComparison.Ordinal).Replace("{1}", QuartzStoreSettings.TablePrefix, StringComparison.Ordinal);
        return Regex.Split(script, @"^--;;\s*$", RegexOptions.Multiline)
            .Where(piece => piece.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> SnapshotAsync(string database)
    {
        var columns = await Sql.QueryAsync(database, """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                || ' ' || is_nullable || ' default ' || coalesce(column_default, '-')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'qrtz\_%'
            """);
        var constraints = await Sql.QueryAsync(database, """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text LIKE 'qrtz\_%'
            """);
        var indexes = await Sql.QueryAsync(database, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'qrtz\\_%'");
        return [.. columns.Concat(constraints).Concat(indexes).Order(StringComparer.Ordinal)];
    }
}
