using Microsoft.Extensions.Options;
using Scheduler.Signals.Kepler;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// The HttpClient of the Kepler reader's Prometheus queries. The resilience pipeline owns the
/// per-query timeout; the client's own is only a backstop.
/// </summary>
internal sealed class PrometheusHttpClient(IOptions<KeplerOptions> options) : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(options.Value.QueryTimeoutSeconds + 5),
    };

    public void Dispose() => Client.Dispose();
}
