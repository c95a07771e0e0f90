using Microsoft.Extensions.Options;
using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// The one HttpClient every carbon provider shares. Pooled connections are recycled so DNS changes
/// of the providers' hosts are picked up; the resilience pipelines own timeouts, so the client's
/// own timeout is only a backstop.
/// </summary>
internal sealed class ProviderHttpClient(IOptions<CarbonOptions> options) : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(options.Value.ProviderTimeoutSeconds + 5),
    };

    public void Dispose() => Client.Dispose();
}
