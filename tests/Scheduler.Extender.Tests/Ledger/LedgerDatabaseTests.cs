using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Tests.Postgres;

namespace Scheduler.Extender.Tests.Ledger;

/// <summary>The service on a real PostgreSQL, with the deferral controller off: the ledger still gets its schema and its records.</summary>
public class LedgerDatabaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = ExtenderServer.Now;

    [Fact]
    public async Task Start_ConnectionStringWithoutDeferral_MigratesAndRecordsIntensitiesInTheDatabase()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var csv = Path.Combine(Path.GetTempPath(), $"fr-{Guid.NewGuid():N}.csv");
        var lines = Enumerable.Range(-3, 28).Select(h => string.Create(CultureInfo.InvariantCulture, $"{Now.AddHours(h):yyyy-MM-ddTHH:mm:ssZ},{200 + (h * 10)}"));
        await File.WriteAllTextAsync(csv, "time,gco2\n" + string.Join('\n', lines));
        try
        {
            await using var server = await ExtenderServer.StartAsync(
                null,
                "--Storage:ConnectionString", connectionString,
                "--Carbon:Zones:FR:Type", "File",
                "--Carbon:Zones:FR:Path", csv);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var actuals = await UntilAsync(connection, "SELECT count(*) FROM ledger_intensity_actuals", count => count >= 3);

            Assert.Equal(3, actuals);
            Assert.Equal(Scheduler.Storage.Migrations.MigrationCatalog.Embedded.Count, await ScalarAsync(connection, "SELECT count(*) FROM schema_migrations"));
            foreach (var table in new[] { "ledger_jobs", "ledger_plans", "ledger_runs", "ledger_intensity_forecasts", "ledger_scoring_samples", "qrtz_triggers" })
            {
                Assert.Equal(1, await ScalarAsync(connection, $"SELECT count(*) FROM pg_tables WHERE tablename = '{table}'"));
            }

            await using (var read = new NpgsqlCommand("SELECT zone, at, grams_per_kwh FROM ledger_intensity_actuals ORDER BY at", connection))
            await using (var reader = await read.ExecuteReaderAsync())
            {
                for (var h = -3; h < 0; h++)
                {
                    Assert.True(await reader.ReadAsync());
                    Assert.Equal("FR", reader.GetString(0));
                    Assert.Equal(Now.AddHours(h), reader.GetFieldValue<DateTimeOffset>(1));
                    Assert.Equal(200 + (h * 10), reader.GetDouble(2));
                }
            }

            Assert.True(await UntilAsync(connection, "SELECT count(DISTINCT zone) FROM ledger_intensity_forecasts", count => count >= 2) >= 2);

            // With PostgreSQL, scoring is sampled by default: the first pod scored, a sample per node.
            using (var scored = await server.Client.PostAsync(
                new Uri("/prioritize", UriKind.Relative),
                new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["de-1", "fr-1", "gb-1"]), Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
            }

            Assert.Equal(3, await UntilAsync(connection, "SELECT count(*) FROM ledger_scoring_samples WHERE pod = 'train-7f9c'", count => count >= 3));

            // The report reads the same database.
            using var response = await server.Client.GetAsync(new Uri("/reports/savings?format=json", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(0, report.RootElement.GetProperty("totals").GetProperty("jobs").GetInt32());
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // Migrations and writes happen in the background after the start: poll (in real time) until the count is there.
    private static async Task<long> UntilAsync(NpgsqlConnection connection, string sql, Func<long, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var count = await ScalarAsync(connection, sql);
                if (done(count) || DateTime.UtcNow > deadline)
                {
                    return count;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && DateTime.UtcNow < deadline)
            {
                // Not migrated yet.
            }

            await Task.Delay(50);
        }
    }
}
