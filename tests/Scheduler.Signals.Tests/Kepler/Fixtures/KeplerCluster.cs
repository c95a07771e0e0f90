using Microsoft.Extensions.Options;
using Polly;
using Scheduler.Signals.Kepler;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// A small cluster's Kepler, one exporter per node, scraped every second by a real Prometheus, run
/// through a scripted life: readings, a Kepler restart, a pod finishing, then frozen so every value
/// can be compared with what the exporters served. Built once per test class.
/// </summary>
public abstract class KeplerCluster : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);
    private readonly List<KeplerExporter> _exporters = [];
    private readonly List<ScrapeClock> _clocks = [];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The Prometheus scraping every exporter.</summary>
    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The exporters, by node name.</summary>
    public IReadOnlyDictionary<string, KeplerExporter> Exporters => _exporters.ToDictionary(e => e.Simulation.Nodes.Single().Name);

    /// <summary>When the script started (before the first scrape).</summary>
    public DateTimeOffset Started { get; private set; }

    /// <summary>When the exporters were frozen: readings up to here see the load still running.</summary>
    public DateTimeOffset FrozenAt { get; private set; }

    /// <summary>A reader of this Prometheus with the given options (default: the shipped ones).</summary>
    public KeplerReader Reader(KeplerOptions? options = null) =>
        new(new PrometheusClient(Http, new Uri(Prometheus.Url)), Options.Create(options ?? new KeplerOptions { PrometheusUrl = Prometheus.Url }), ResiliencePipeline.Empty);

    /// <summary>The last scrape each node's exporter served.</summary>
    public ServedNode LastServed(string node) => Exporters[node].Simulation.ServedScrapes[^1].Node(node);

    /// <summary>The first scrape each node's exporter served.</summary>
    public ServedNode FirstServed(string node) => Exporters[node].Simulation.ServedScrapes[0].Node(node);

    /// <summary>The simulations to serve, one node each.</summary>
    /// <param name="clock">Gives each simulation its clock: call it once per simulation, in order.</param>
    protected abstract IEnumerable<SimulatedKepler> Simulations(Func<TimeProvider> clock);

    /// <summary>Moves every exporter's clock half a scrape on, so a change falls between two scrapes.</summary>
    protected void HalfwayToNextScrape()
    {
        foreach (var clock in _clocks)
        {
            clock.HalfwayToNextScrape();
        }
    }

    /// <summary>Whether Prometheus should keep the exporters' own labels (<c>honor_labels</c>).</summary>
    protected virtual bool HonorLabels => false;

    /// <summary>The script run after the first scrapes: changes to the simulations between further scrapes.</summary>
    protected abstract Task ScriptAsync(Func<int, Task> scrapes);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            Started = DateTimeOffset.UtcNow;
            var simulations = Simulations(() =>
            {
                var clock = new ScrapeClock(ScrapeInterval);
                _clocks.Add(clock);
                return clock.Time;
            }).ToList();
            for (var i = 0; i < simulations.Count; i++)
            {
                _exporters.Add(await KeplerExporter.StartAsync(simulations[i], _clocks[i]));
            }

            Prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
            {
                Targets = _exporters.Select((e, i) => e.Target($"kepler-{i}", HonorLabels)).ToArray(),
            });
            await ScrapesAsync(3);
            await ScriptAsync(ScrapesAsync);

            // Frozen: two more scrapes serve the final values, so Prometheus holds everything served.
            FrozenAt = DateTimeOffset.UtcNow;
            foreach (var exporter in _exporters)
            {
                exporter.Simulation.Freeze();
            }

            await ScrapesAsync(2);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
            Prometheus = null!;
        }

        foreach (var exporter in _exporters)
        {
            await exporter.DisposeAsync();
        }

        _exporters.Clear();
    }

    // Waits until every exporter has served `count` more scrapes (and Prometheus has stored the ones before).
    private async Task ScrapesAsync(int count)
    {
        var targets = _exporters.Select(e => e.ScrapeCount + count).ToArray();
        using var timeout = new CancellationTokenSource(Patience);
        while (_exporters.Select((e, i) => e.ScrapeCount < targets[i]).Any(waiting => waiting))
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
