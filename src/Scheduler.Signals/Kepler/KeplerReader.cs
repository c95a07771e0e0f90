using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// Reads Kepler through Prometheus: which schema each exporter speaks, every node's current power
/// and load, their history for the power models, and the energy of pods and nodes over a period.
/// Energy comes from raw counter samples through <see cref="Core.Power.EnergyCounter"/>, so RAPL wraps, Kepler
/// restarts and glitches are repaired exactly rather than by <c>increase()</c>'s extrapolation.
/// Every query runs through the given resilience pipeline.
/// </summary>
public sealed class KeplerReader
{
    private readonly PrometheusClient _prometheus;
    private readonly ResiliencePipeline _pipeline;
    private readonly KeplerOptions _options;
    private readonly Dictionary<KeplerSchema, KeplerDialect> _dialects;
    private readonly ConcurrentDictionary<KeplerSchema, CachedInventory> _inventory = new();

    /// <summary>Creates a reader.</summary>
    public KeplerReader(PrometheusClient prometheus, IOptions<KeplerOptions> options, ResiliencePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(options);
        _prometheus = prometheus;
        _pipeline = pipeline;
        _options = options.Value;
        _dialects = new()
        {
            [KeplerSchema.Rewrite] = new RewriteDialect(_options),
            [KeplerSchema.Legacy] = new LegacyDialect(_options),
        };
    }

    private TimeSpan ReadingWindow => TimeSpan.FromSeconds(_options.ReadingWindowSeconds);

    /// <summary>
    /// The schemas of the Kepler exporters Prometheus scraped in the <paramref name="lookback"/> before
    /// <paramref name="at"/> (both during an upgrade; none without Kepler).
    /// </summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<IReadOnlyList<KeplerSchema>> DetectSchemasAsync(DateTimeOffset at, TimeSpan lookback, CancellationToken cancellationToken)
    {
        // One query per build-info metric: the *_over_time functions drop the metric name, so one
        // query over both could not tell them apart.
        var dialects = _dialects.Values.ToArray();
        var found = await Task.WhenAll(dialects.Select(d =>
            QueryAsync($"count(last_over_time({d.BuildInfoMetric}[{PromQl.Duration(lookback)}]))", at, cancellationToken))).ConfigureAwait(false);
        return dialects.Where((d, i) => found[i].Any(s => s.Last > 0)).Select(d => d.Schema).ToArray();
    }

    /// <summary>The schemas of the Kepler exporters Prometheus scrapes now.</summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public Task<IReadOnlyList<KeplerSchema>> DetectSchemasAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        DetectSchemasAsync(at, ReadingWindow, cancellationToken);

    /// <summary>Every node's reading at <paramref name="at"/>; a node seen in both schemas is read from the newer.</summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<IReadOnlyList<NodeReading>> ReadNodesAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        await ReadNodesAsync(at, await DetectSchemasAsync(at, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Every node's reading at <paramref name="at"/> in the <paramref name="schemas"/> already detected.</summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<IReadOnlyList<NodeReading>> ReadNodesAsync(DateTimeOffset at, IReadOnlyList<KeplerSchema> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var byNode = new Dictionary<string, NodeReading>(StringComparer.Ordinal);
        foreach (var schema in schemas.OrderByDescending(s => s == KeplerSchema.Rewrite))
        {
            foreach (var reading in await ReadNodesAsync(_dialects[schema], at, cancellationToken).ConfigureAwait(false))
            {
                byNode.TryAdd(reading.Node, reading);
            }
        }

        return byNode.Values.OrderBy(r => r.Node, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every node's power and load over the history that ends at <paramref name="end"/>, for the power models.</summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<IReadOnlyList<NodeHistory>> ReadHistoryAsync(DateTimeOffset end, CancellationToken cancellationToken)
    {
        var step = TimeSpan.FromSeconds(_options.HistoryStepSeconds);
        var start = end - TimeSpan.FromDays(_options.HistoryDays);

        // Align to the step, so that consecutive refreshes ask for the same points (and caches help).
        start = DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds() / (long)step.TotalSeconds * (long)step.TotalSeconds);
        var points = (int)((end - start).Ticks / step.Ticks) + 1;
        var schemas = await DetectSchemasAsync(end, end - start, cancellationToken).ConfigureAwait(false);
        var byNode = new Dictionary<string, NodeHistory>(StringComparer.Ordinal);
        foreach (var schema in schemas.OrderByDescending(s => s == KeplerSchema.Rewrite))
        {
            var dialect = _dialects[schema];
            var targets = await TargetsAsync(dialect, end, end - start, cancellationToken).ConfigureAwait(false);
            var watts = RangeAsync(dialect.CpuWattsHistory(step), start, end, step, cancellationToken);
            var load = RangeAsync(dialect.UtilisationHistory(step), start, end, step, cancellationToken);
            var gpus = RangeAsync(dialect.GpuWattsHistory(step), start, end, step, cancellationToken);
            await Task.WhenAll(watts, load, gpus).ConfigureAwait(false);

            var cpu = HistoryGrid.Align(await watts.ConfigureAwait(false), dialect, targets, start, step, points);
            var utilisation = HistoryGrid.Align(await load.ConfigureAwait(false), dialect, targets, start, step, points);
            var gpuByNode = new Dictionary<string, Dictionary<string, double[]>>(StringComparer.Ordinal);
            foreach (var series in await gpus.ConfigureAwait(false))
            {
                if (dialect.NodeOf(series, targets) is not { } node)
                {
                    continue;
                }

                if (!gpuByNode.TryGetValue(node, out var devices))
                {
                    gpuByNode[node] = devices = new Dictionary<string, double[]>(StringComparer.Ordinal);
                }

                devices[dialect.GpuIndexOf(series)] = HistoryGrid.ToArray(series, start, step, points);
            }

            foreach (var (node, values) in cpu)
            {
                if (byNode.ContainsKey(node))
                {
                    continue;
                }

                byNode[node] = new NodeHistory(
                    node,
                    schema,
                    start,
                    step,
                    values,
                    utilisation.TryGetValue(node, out var u) ? u : HistoryGrid.Filled(points),
                    gpuByNode.TryGetValue(node, out var g) ? g : new Dictionary<string, double[]>());
            }
        }

        return byNode.Values.OrderBy(h => h.Node, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The energy Kepler attributed to each of <paramref name="pods"/> in <paramref name="namespace"/>
    /// between <paramref name="from"/> and <paramref name="to"/>, over both of a pod's states
    /// (running and terminated) and across Kepler restarts. Pods Kepler never saw are left out.
    /// </summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<IReadOnlyList<PodEnergy>> ReadPodEnergyAsync(
        string @namespace,
        IReadOnlyCollection<string> pods,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        if (pods.Count == 0 || to <= from)
        {
            return [];
        }

        var window = to - from;
        var schemas = await DetectSchemasAsync(to, window, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<(string, string), PodEnergy>();
        foreach (var schema in schemas.OrderByDescending(s => s == KeplerSchema.Rewrite))
        {
            var dialect = _dialects[schema];
            var cpuTask = QueryAsync(dialect.PodCpuEnergySamples(@namespace, pods, window), to, cancellationToken);
            var gpuTask = QueryAsync(dialect.PodGpuEnergySamples(@namespace, pods, window), to, cancellationToken);
            await Task.WhenAll(cpuTask, gpuTask).ConfigureAwait(false);
            var cpu = KeplerCounters.PodCounters(dialect, await cpuTask.ConfigureAwait(false));
            var gpu = KeplerCounters.PodCounters(dialect, await gpuTask.ConfigureAwait(false));
            foreach (var (key, cpuEnergy) in cpu)
            {
                if (result.ContainsKey(key))
                {
                    continue;
                }

                var gpuEnergy = gpu.TryGetValue(key, out var g) ? g : KeplerCounters.PodCounter.Empty;
                var cpuJoules = cpuEnergy.Joules;
                if (dialect.PodCpuIncludesGpu)
                {
                    cpuJoules = cpuJoules with { Value = Math.Max(0, cpuJoules.Value - gpuEnergy.Joules.Value) };
                }

                result[key] = new PodEnergy(
                    key.Item1,
                    key.Item2,
                    cpuEnergy.Uid ?? gpuEnergy.Uid,
                    cpuJoules,
                    gpuEnergy.Joules,
                    KeplerCounters.Min(cpuEnergy.FirstSeen, gpuEnergy.FirstSeen)!.Value,
                    KeplerCounters.Max(cpuEnergy.LastSeen, gpuEnergy.LastSeen)!.Value,
                    cpuEnergy.Terminated || gpuEnergy.Terminated,
                    cpuEnergy.Repairs + gpuEnergy.Repairs);
            }
        }

        return result.Values.OrderBy(p => p.Pod, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The energy node <paramref name="node"/> counted between <paramref name="from"/> and <paramref name="to"/>, or <c>null</c> when Kepler has no counter of it.</summary>
    /// <exception cref="PrometheusException">Prometheus failed.</exception>
    public async Task<NodeEnergy?> ReadNodeEnergyAsync(string node, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return null;
        }

        var window = to - from;
        var schemas = await DetectSchemasAsync(to, window, cancellationToken).ConfigureAwait(false);
        foreach (var schema in schemas.OrderByDescending(s => s == KeplerSchema.Rewrite))
        {
            var dialect = _dialects[schema];
            foreach (var matcher in dialect.NodeMatchers(node))
            {
                var cpuTask = QueryAsync(dialect.CpuEnergySamples(window, matcher), to, cancellationToken);
                var gpuTask = QueryAsync(dialect.GpuEnergySamples(window, matcher), to, cancellationToken);
                await Task.WhenAll(cpuTask, gpuTask).ConfigureAwait(false);
                var cpuSeries = await cpuTask.ConfigureAwait(false);
                if (cpuSeries.Count == 0)
                {
                    continue;
                }

                var cpu = KeplerCounters.Sum(cpuSeries, dialect, dialect.CpuCounterRules, s => dialect.CpuCounterKey(s));
                var gpus = (await gpuTask.ConfigureAwait(false))
                    .GroupBy(dialect.GpuIndexOf, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => KeplerCounters.Sum(g, dialect, dialect.GpuCounterRules, s => s.Label("mode") ?? string.Empty), StringComparer.Ordinal);
                var repairs = gpus.Values.Aggregate(cpu.Repairs, (sum, g) => sum + g.Repairs);
                return new NodeEnergy(
                    node,
                    cpu.From ?? from,
                    cpu.To ?? to,
                    cpu.Joules,
                    gpus.ToDictionary(g => g.Key, g => g.Value.Joules, StringComparer.Ordinal),
                    repairs);
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<NodeReading>> ReadNodesAsync(KeplerDialect dialect, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var window = ReadingWindow;
        var targetsTask = TargetsAsync(dialect, at, window, cancellationToken);
        var cpuTask = QueryAsync(dialect.CpuEnergySamples(window), at, cancellationToken);
        var activeTask = QueryAsync(dialect.CpuSplitWatts(window, active: true), at, cancellationToken);
        var idleTask = QueryAsync(dialect.CpuSplitWatts(window, active: false), at, cancellationToken);
        var loadTask = QueryAsync(dialect.Utilisation(window), at, cancellationToken);
        var gpuTask = QueryAsync(dialect.GpuEnergySamples(window), at, cancellationToken);
        var gpuIdleTask = QueryAsync(dialect.GpuSplitWatts(window, active: false), at, cancellationToken);
        var gpuActiveTask = QueryAsync(dialect.GpuSplitWatts(window, active: true), at, cancellationToken);
        await Task.WhenAll(targetsTask, cpuTask, activeTask, idleTask, loadTask, gpuTask, gpuIdleTask, gpuActiveTask).ConfigureAwait(false);
        var targets = await targetsTask.ConfigureAwait(false);

        var cpu = (await cpuTask.ConfigureAwait(false))
            .Select(s => (Node: dialect.NodeOf(s, targets), Series: s))
            .Where(x => x.Node is not null)
            .GroupBy(x => x.Node!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => KeplerCounters.Sum(g.Select(x => x.Series), dialect, dialect.CpuCounterRules, dialect.CpuCounterKey), StringComparer.Ordinal);
        var active = ByNode(await activeTask.ConfigureAwait(false), dialect, targets);
        var idle = ByNode(await idleTask.ConfigureAwait(false), dialect, targets);
        var load = ByNode(await loadTask.ConfigureAwait(false), dialect, targets);
        var inventory = await InventoryAsync(dialect, targets, cpu.Keys, at, cancellationToken).ConfigureAwait(false);
        var gpus = KeplerCounters.GpuReadings(
            dialect,
            targets,
            await gpuTask.ConfigureAwait(false),
            await gpuIdleTask.ConfigureAwait(false),
            await gpuActiveTask.ConfigureAwait(false));

        var readings = new List<NodeReading>(cpu.Count);
        foreach (var node in cpu.Keys.Union(gpus.Keys, StringComparer.Ordinal))
        {
            var cpuWatts = cpu.TryGetValue(node, out var c) && c.Watts is { } w ? w : (MeasuredValue?)null;
            var nodeGpus = gpus.TryGetValue(node, out var g) ? g.Readings : [];
            var repairs = (c?.Repairs ?? default) + (g.Repairs);
            var (cpus, model) = inventory.TryGetValue(node, out var i) ? i : (0, null);
            var quality = cpuWatts?.Quality ?? ReadingQuality.Measured;
            readings.Add(new NodeReading(
                node,
                dialect.Schema,
                at,
                cpuWatts,
                active.TryGetValue(node, out var a) ? new MeasuredValue(a, quality) : null,
                idle.TryGetValue(node, out var d) ? new MeasuredValue(d, quality) : null,
                load.TryGetValue(node, out var u) ? Math.Clamp(u, 0, 1) : null,
                cpus > 0 ? cpus : null,
                model,
                nodeGpus,
                repairs));
        }

        return readings;
    }

    // CPU count and model per node. They change only with the hardware, and the query touches one
    // series per logical CPU of the fleet (the costliest of a reading by far), so its answer is kept
    // for a model refresh interval, or asked again sooner (at most every 5 minutes) for new nodes.
    private async Task<IReadOnlyDictionary<string, (int Cpus, string? Model)>> InventoryAsync(
        KeplerDialect dialect,
        IReadOnlyDictionary<string, string> targets,
        IEnumerable<string> nodes,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var cached = _inventory.TryGetValue(dialect.Schema, out var c) ? c : null;
        if (cached is not null && at >= cached.At)
        {
            var age = at - cached.At;
            var complete = nodes.All(cached.Nodes.ContainsKey);
            if (age < TimeSpan.FromMinutes(_options.ModelRefreshMinutes) && (complete || age < TimeSpan.FromMinutes(5)))
            {
                return cached.Nodes;
            }
        }

        List<PromSeries> series;
        try
        {
            series = await QueryAsync(dialect.CpuInventory(), at, cancellationToken).ConfigureAwait(false);
        }
        catch (PrometheusException e) when (e.Kind == PrometheusErrorKind.Rejected)
        {
            // A join Prometheus refuses (several nodes behind one scrape target) costs only the
            // hardware keys, not the readings.
            return cached?.Nodes ?? new Dictionary<string, (int, string?)>();
        }

        var inventory = series
            .Select(s => (Node: dialect.NodeOf(s, targets), Series: s))
            .Where(x => x.Node is not null && x.Series.Last is not null)
            .GroupBy(x => x.Node!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (Cpus: (int)g.Sum(x => x.Series.Last!.Value), Model: g.Select(x => x.Series.Label(dialect.CpuModelLabel)).FirstOrDefault(m => m is not null)),
                StringComparer.Ordinal);
        _inventory[dialect.Schema] = new CachedInventory(at, inventory);
        return inventory;
    }

    private static Dictionary<string, double> ByNode(List<PromSeries> series, KeplerDialect dialect, IReadOnlyDictionary<string, string> targets)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            if (dialect.NodeOf(s, targets) is { } node && s.Last is { } value)
            {
                result[node] = value;
            }
        }

        return result;
    }

    // Scrape target -> node, for the legacy series that carry only the target (container metrics).
    private async Task<IReadOnlyDictionary<string, string>> TargetsAsync(KeplerDialect dialect, DateTimeOffset at, TimeSpan lookback, CancellationToken cancellationToken)
    {
        if (dialect.Schema != KeplerSchema.Legacy)
        {
            return new Dictionary<string, string>();
        }

        var series = await QueryAsync(
            $"group by (instance, exported_instance) (last_over_time(kepler_node_cpu_scaling_frequency_hertz[{PromQl.Duration(lookback)}]))",
            at,
            cancellationToken).ConfigureAwait(false);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            if (s.Label("instance") is { } instance && s.Label("exported_instance") is { } node)
            {
                targets[instance] = node;
            }
        }

        return targets;
    }

    private async Task<List<PromSeries>> QueryAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Prometheus.QueryAsync(state.Promql, state.At, token).ConfigureAwait(false),
            (Prometheus: _prometheus, Promql: promql, At: at),
            cancellationToken).ConfigureAwait(false);

    private async Task<List<PromSeries>> RangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Prometheus.QueryRangeAsync(state.Promql, state.Start, state.End, state.Step, token).ConfigureAwait(false),
            (Prometheus: _prometheus, Promql: promql, Start: start, End: end, Step: step),
            cancellationToken).ConfigureAwait(false);

    private sealed record CachedInventory(DateTimeOffset At, IReadOnlyDictionary<string, (int Cpus, string? Model)> Nodes);


}
