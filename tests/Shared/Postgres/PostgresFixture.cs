namespace Scheduler.Tests.Postgres;

/// <summary>
/// One <see cref="PostgresServer"/> for a test class (<c>IClassFixture&lt;PostgresFixture&gt;</c>); each test creates its
/// own database with <c>Server.CreateDatabaseAsync()</c>. A class that stops or restarts the server gets a server of
/// its own this way, so other classes running in parallel are not disturbed.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    /// <summary>Creates and starts the server.</summary>
    public async Task InitializeAsync() => _server = await PostgresServer.CreateAsync();

    /// <summary>Stops the server and deletes its data.</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
