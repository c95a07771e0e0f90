using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;
using Scheduler.Core.Power;
using Scheduler.Signals.Kepler;

namespace Scheduler.Signals.Power;

/// <summary>
/// The newest Kepler readings and fitted power models of every node, swapped whole on each refresh
/// so that readers never lock, and the rule that turns them into the profile a node is scored with.
/// </summary>
public sealed class MeasuredPowerCatalog(IOptions<KeplerOptions> options, TimeProvider time) : IMeasuredPower
{
    private readonly KeplerOptions _options = options.Value;

    // Fallback labels by hardware model and reason: /filter describes every node it is sent on each
    // request, and a handful of models would otherwise be concatenated thousands of times a second.
    private readonly ConcurrentDictionary<(string Model, string Reason), string> _fallbackLabels = new();
    private volatile State _state = State.Empty;

    /// <inheritdoc />
    public event EventHandler? Changed;

    /// <inheritdoc />
    public bool IsEnabled => _options.IsEnabled;

    /// <summary>Nodes with a fresh reading.</summary>
    public int ReadingCount => _state.Readings.Count;

    /// <summary>The fitted models, by node.</summary>
    public IReadOnlyDictionary<string, FittedPowerModel> Models => _state.Models;

    /// <summary>The fresh readings, by node.</summary>
    public IReadOnlyDictionary<string, NodeReading> Readings => _state.Readings;

    /// <summary>Each read node's hardware key, for learning from peers.</summary>
    public IReadOnlyDictionary<string, string> HardwareKeys() =>
        _state.Readings.ToDictionary(r => r.Key, r => r.Value.HardwareKey, StringComparer.Ordinal);

    /// <summary>Replaces the readings (nodes missing from <paramref name="readings"/> keep theirs until they go stale).</summary>
    public void UpdateReadings(IReadOnlyList<NodeReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var state = _state;
        var merged = new Dictionary<string, NodeReading>(state.Readings, StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            merged[reading.Node] = reading;
        }

        _state = state with { Readings = Fresh(merged).ToFrozenDictionary(StringComparer.Ordinal) };
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Replaces the fitted models.</summary>
    public void UpdateModels(IReadOnlyList<FittedPowerModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _state = _state with { Models = models.ToFrozenDictionary(m => m.Node, StringComparer.Ordinal) };
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Drops the readings that have gone stale (Prometheus or a node's Kepler stopped answering).</summary>
    /// <returns>The nodes dropped.</returns>
    public int Expire()
    {
        var state = _state;
        var fresh = Fresh(state.Readings).ToFrozenDictionary(StringComparer.Ordinal);
        var dropped = state.Readings.Count - fresh.Count;
        if (dropped > 0)
        {
            _state = state with { Readings = fresh };
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return dropped;
    }

    /// <inheritdoc />
    public NodePowerProfile Apply(string node, NodePowerProfile modelled)
    {
        ArgumentNullException.ThrowIfNull(modelled);
        if (!IsEnabled)
        {
            return modelled;
        }

        var state = _state;
        if (!state.Readings.TryGetValue(node, out var reading))
        {
            return Fallback(modelled, "no fresh Kepler readings");
        }

        if (!state.Models.TryGetValue(node, out var model))
        {
            return Fallback(modelled, "Kepler history too short for a model");
        }

        var gpu = modelled.Gpu;
        var gpuNote = string.Empty;
        if (model.Gpu is { ActiveWatts: { } active } measuredGpu)
        {
            var product = reading.Gpus.Select(g => g.Product).FirstOrDefault(p => p is not null) ?? modelled.Gpu?.Product ?? "gpu";
            gpu = new GpuPowerProfile(product, measuredGpu.IdleWatts, active);
        }
        else if (gpu is not null)
        {
            gpuNote = $"; GPU {gpu.Product} from the hardware model";
        }

        var label = string.Create(
            CultureInfo.InvariantCulture,
            $"kepler {reading.Schema}: {model.Kind} fit, r2={model.RSquared:0.00}, {model.Points} points over {model.HistoryDays:0.#} d{(model.FromPeers ? " of same-hardware nodes" : string.Empty)}{gpuNote}");
        return new NodePowerProfile(
            reading.Cpus ?? modelled.CpuCores,
            model.IdleBaselineWatts,
            model.Curve.MaxWatts,
            gpu,
            model.FromPeers ? PowerSource.MeasuredPeers : PowerSource.Measured,
            label)
        {
            CpuCurve = model.Curve,
            CpuUtilisation = reading.CpuUtilisation ?? 0,
        };
    }

    private NodePowerProfile Fallback(NodePowerProfile modelled, string reason) =>
        modelled with { Model = _fallbackLabels.GetOrAdd((modelled.Model, reason), key => $"{key.Model}; {key.Reason}") };

    private IEnumerable<KeyValuePair<string, NodeReading>> Fresh(IEnumerable<KeyValuePair<string, NodeReading>> readings)
    {
        var oldest = time.GetUtcNow() - TimeSpan.FromSeconds(_options.StaleAfterSeconds);
        return readings.Where(r => r.Value.At >= oldest);
    }

    private sealed record State(FrozenDictionary<string, NodeReading> Readings, FrozenDictionary<string, FittedPowerModel> Models)
    {
        public static State Empty { get; } = new(
            FrozenDictionary<string, NodeReading>.Empty,
            FrozenDictionary<string, FittedPowerModel>.Empty);
    }
}
