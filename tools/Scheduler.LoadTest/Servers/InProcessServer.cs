using Microsoft.AspNetCore.Builder;
using Scheduler.Extender.Hosting;

namespace Scheduler.LoadTest.Servers;

/// <summary>The extender built by <see cref="ExtenderApp"/> inside this process, exactly as <c>Program</c> builds it.</summary>
internal sealed class InProcessServer : IExtenderServer
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Description => "in-process (ExtenderApp.Build); memory figures include the load generator";

    public static async Task<InProcessServer> StartAsync(string inventoryFile, CancellationToken cancellationToken)
    {
        // Port 0: the OS picks a free loopback port. Information logs are silenced because they would
        // interleave with the report on this process's console.
        var app = ExtenderApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Nodes:InventoryFile", inventoryFile,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync(cancellationToken);
        return new InProcessServer(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
