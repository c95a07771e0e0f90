using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests;

/// <summary>The shared fixture itself: what the deferral controller tests rely on.</summary>
public class PostgresServerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public void FindBinDirectory_HasTheServerBinaries()
    {
        var directory = PostgresServer.FindBinDirectory();

        Assert.All(new[] { "initdb", "pg_ctl", "postgres" }, name => Assert.True(File.Exists(Path.Combine(directory, name)), name));
    }

    [Fact]
    public async Task StopAndStart_SamePortAndData()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await Sql.ExecuteAsync(database, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42);");
        var port = postgres.Server.Port;

        await postgres.Server.StopAsync();
        Assert.False(postgres.Server.IsRunning);
        await Assert.ThrowsAnyAsync<Exception>(() => Sql.QueryAsync(database, "SELECT 1"));
        await postgres.Server.StartAsync();

        Assert.Equal(port, postgres.Server.Port);
        Assert.Equal(["42"], await Sql.QueryAsync(database, "SELECT x FROM kept"));
    }

    [Fact]
    public async Task DropDatabaseAsync_WithOpenConnections_Drops()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var open = new Npgsql.NpgsqlConnection(database);
        await open.OpenAsync();

        await postgres.Server.DropDatabaseAsync(database);

        Assert.Empty(await Sql.QueryAsync(postgres.Server.ConnectionString(), $"SELECT datname FROM pg_database WHERE datname = '{open.Database}'"));
    }
}
