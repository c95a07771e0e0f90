using Microsoft.AspNetCore.Http;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) answering <c>GET /metrics</c> as a Kepler exporter does, with the text
/// of a <see cref="SimulatedKepler"/> that advances by the real time between scrapes. Any other path answers 404.
/// </summary>
public sealed class KeplerExporter : IAsyncDisposable
{
    /// <summary>The content type of the classic text format, which Prometheus 2.42 accepts whatever it asked for.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly ScrapeClock? _clock;
    private LoopbackApp _app = null!;
    private int _scrapes;
    private volatile bool _available = true;

    private KeplerExporter(SimulatedKepler simulation, ScrapeClock? clock)
    {
        Simulation = simulation;
        _clock = clock;
    }

    /// <summary>The simulation served.</summary>
    public SimulatedKepler Simulation { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>The address for a <see cref="ScrapeTarget"/>, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string HostPort { get; private set; } = string.Empty;

    /// <summary>The number of <c>/metrics</c> answers served (503s excluded).</summary>
    public int ScrapeCount => Volatile.Read(ref _scrapes);

    /// <summary>
    /// Whether <c>/metrics</c> answers; when false it answers 503 without advancing the simulation, as a Kepler pod that
    /// is down would (Prometheus records <c>up</c> = 0 and marks the series stale).
    /// </summary>
    public bool Available
    {
        get => _available;
        set => _available = value;
    }

    /// <summary>Starts serving <paramref name="simulation"/>.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <param name="clock">
    /// The simulation's clock when it should move one scrape interval per scrape (its time provider
    /// must be <see cref="ScrapeClock.Time"/>); <c>null</c> to advance by the real time between scrapes.
    /// </param>
    public static async Task<KeplerExporter> StartAsync(SimulatedKepler simulation, ScrapeClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var exporter = new KeplerExporter(simulation, clock);
        exporter._app = await LoopbackApp.StartAsync(exporter.HandleAsync);
        exporter.Url = exporter._app.Url;
        exporter.HostPort = new Uri(exporter.Url).Authority;
        return exporter;
    }

    /// <summary>This exporter as a scrape target of <paramref name="job"/>.</summary>
    public ScrapeTarget Target(string job = "kepler", bool honorLabels = false) => new(job, HostPort, honorLabels);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/metrics" || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (!_available)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }

        _clock?.Scrape();
        var text = Simulation.Scrape();
        Interlocked.Increment(ref _scrapes);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
