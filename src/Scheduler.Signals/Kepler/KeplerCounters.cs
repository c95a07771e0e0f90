using Scheduler.Core.Power;
using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Kepler;

/// <summary>
/// The energy counters of a query's raw samples, read one by one with <see cref="EnergyCounter"/>
/// and added up per node, GPU or pod, with the quality of what was read.
/// </summary>
internal static class KeplerCounters
{
    /// <summary>The counters of one device or node (zones, sockets, modes), read one by one and added up.</summary>
    public static CounterSum Sum(IEnumerable<PromSeries> series, KeplerDialect dialect, CounterRules rules, Func<PromSeries, string> counterKey)
    {
        var joules = new MeasuredValue(0, ReadingQuality.Measured);
        var repairs = default(CounterRepairs);
        DateTimeOffset? from = null, to = null;
        double? seconds = null;
        foreach (var counter in series.GroupBy(counterKey, StringComparer.Ordinal))
        {
            var samples = CounterSamples.Merge(counter);
            var increase = EnergyCounter.Increase(samples, rules);
            if (increase.Seconds <= 0)
            {
                continue;
            }

            var quality = increase.IsMeasured && counter.All(s => dialect.QualityOf(s) == ReadingQuality.Measured) ? ReadingQuality.Measured : ReadingQuality.Estimated;
            joules += new MeasuredValue(increase.Joules, quality);
            repairs += CounterRepairs.Of(increase);
            from = Min(from, increase.From);
            to = Max(to, increase.To);

            // Counters are scraped together, so their spans agree; the power is each one's own mean.
            seconds = Math.Max(seconds ?? 0, increase.Seconds);
        }

        return new CounterSum(joules, seconds, repairs, from, to);
    }

    /// <summary>Each pod's energy over its counters (zones, states, containers, modes).</summary>
    public static Dictionary<(string Namespace, string Pod), PodCounter> PodCounters(KeplerDialect dialect, List<PromSeries> series)
    {
        var result = new Dictionary<(string, string), PodCounter>();
        var counters = series
            .Select(s => (Pod: dialect.PodOf(s), Series: s))
            .Where(x => x.Pod.Namespace is not null && x.Pod.Pod is not null)
            .GroupBy(x => (x.Pod.Namespace!, x.Pod.Pod!));
        foreach (var pod in counters)
        {
            var total = PodCounter.Empty;
            foreach (var counter in pod.GroupBy(x => x.Pod.CounterKey, StringComparer.Ordinal))
            {
                // Running then terminated: one counter in two series. It started at zero when Kepler
                // first saw the pod (or restarted), so its first value is energy too.
                var samples = CounterSamples.Merge(counter.Select(x => x.Series));
                var increase = EnergyCounter.Increase(samples, dialect.PodCounterRules, countsFromZero: true);
                if (increase.From is null)
                {
                    continue;
                }

                var quality = increase.IsMeasured && counter.All(x => dialect.QualityOf(x.Series) == ReadingQuality.Measured) ? ReadingQuality.Measured : ReadingQuality.Estimated;
                total = new PodCounter(
                    total.Joules + new MeasuredValue(increase.Joules, quality),
                    total.Uid ?? counter.Select(x => x.Pod.Uid).FirstOrDefault(u => u is not null),
                    Min(total.FirstSeen, increase.From),
                    Max(total.LastSeen, increase.To),
                    total.Terminated || counter.Any(x => x.Pod.Terminated),
                    total.Repairs + CounterRepairs.Of(increase));
            }

            if (total.FirstSeen is not null)
            {
                result[pod.Key] = total;
            }
        }

        return result;
    }

    /// <summary>Each node's GPUs: power from their energy counters, Kepler's idle and active watts beside.</summary>
    public static Dictionary<string, (IReadOnlyList<GpuReading> Readings, CounterRepairs Repairs)> GpuReadings(
        KeplerDialect dialect,
        IReadOnlyDictionary<string, string> targets,
        List<PromSeries> energy,
        List<PromSeries> idle,
        List<PromSeries> active)
    {
        static Dictionary<(string, string), (double Watts, string? Product)> Split(List<PromSeries> series, KeplerDialect dialect, IReadOnlyDictionary<string, string> targets)
        {
            var split = new Dictionary<(string, string), (double, string?)>();
            foreach (var s in series)
            {
                if (dialect.NodeOf(s, targets) is { } node && s.Last is { } value)
                {
                    split[(node, dialect.GpuIndexOf(s))] = (value, s.Label("gpu_name"));
                }
            }

            return split;
        }

        var idleByGpu = Split(idle, dialect, targets);
        var activeByGpu = Split(active, dialect, targets);
        var result = new Dictionary<string, (IReadOnlyList<GpuReading>, CounterRepairs)>(StringComparer.Ordinal);
        foreach (var byNode in energy.Where(s => dialect.NodeOf(s, targets) is not null).GroupBy(s => dialect.NodeOf(s, targets)!, StringComparer.Ordinal))
        {
            var readings = new List<GpuReading>();
            var repairs = default(CounterRepairs);
            foreach (var device in byNode.GroupBy(dialect.GpuIndexOf, StringComparer.Ordinal).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                var sum = Sum(device, dialect, dialect.GpuCounterRules, s => s.Label("mode") ?? string.Empty);
                repairs += sum.Repairs;
                if (sum.Watts is not { } watts)
                {
                    continue;
                }

                var key = (byNode.Key, device.Key);
                var product = device.Select(s => s.Label("gpu_name")).FirstOrDefault(p => p is not null);
                readings.Add(new GpuReading(
                    device.Key,
                    product,
                    watts,
                    idleByGpu.TryGetValue(key, out var i) ? new MeasuredValue(i.Watts, watts.Quality) : null,
                    activeByGpu.TryGetValue(key, out var a) ? new MeasuredValue(a.Watts, watts.Quality) : null));
            }

            result[byNode.Key] = (readings, repairs);
        }

        return result;
    }

    /// <summary>The earlier of two optional times.</summary>
    public static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The later of two optional times.</summary>
    public static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>The energy of a node's or a device's counters together.</summary>
    public sealed record CounterSum(MeasuredValue Joules, double? Seconds, CounterRepairs Repairs, DateTimeOffset? From, DateTimeOffset? To)
    {
        public MeasuredValue? Watts => Seconds is > 0 ? Joules with { Value = Joules.Value / Seconds.Value } : null;
    }

    /// <summary>The energy of one pod's counters together.</summary>
    public sealed record PodCounter(MeasuredValue Joules, string? Uid, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, bool Terminated, CounterRepairs Repairs)
    {
        public static PodCounter Empty { get; } = new(new MeasuredValue(0, ReadingQuality.Measured), null, null, null, false, default);
    }
}
