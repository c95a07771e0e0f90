using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Extender.Hosting;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>The real extender on Kestrel, bound to a free loopback port, with a node inventory file.</summary>
public sealed class ExtenderServer : IAsyncDisposable
{
    /// <summary>A winter weekday evening: every built-in zone has a known, distinct intensity.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 14, 18, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly string _inventory;

    private ExtenderServer(WebApplication app, string inventory, Uri address, Uri? httpsAddress)
    {
        _app = app;
        _inventory = inventory;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        HttpsAddress = httpsAddress;
    }

    /// <summary>A client of the HTTP listener.</summary>
    public HttpClient Client { get; }

    /// <summary>The HTTPS listener's address, when <c>Tls</c> is configured.</summary>
    public Uri? HttpsAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ExtenderServer> StartAsync(Action<IServiceCollection>? services = null, params string[] settings)
    {
        var inventory = Path.Combine(Path.GetTempPath(), $"nodes-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(inventory, TestNodes.NodeList(TestNodes.Cluster()).ToJsonString());
        string[] args = ["--urls", "http://127.0.0.1:0", "--Nodes:InventoryFile", inventory, "--Logging:LogLevel:Default", "Warning", .. settings];
        var app = ExtenderApp.Build(args, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            File.Delete(inventory);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var http = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new ExtenderServer(app, inventory, new Uri(http), https is null ? null : new Uri(https));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_inventory);
    }
}
