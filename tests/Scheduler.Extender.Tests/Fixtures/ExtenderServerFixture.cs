namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>One extender shared by the tests of a class.</summary>
public sealed class ExtenderServerFixture : IAsyncLifetime
{
    private ExtenderServer? _server;

    public ExtenderServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await ExtenderServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
