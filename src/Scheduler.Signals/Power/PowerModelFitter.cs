using MathNet.Numerics;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.Options;
using Scheduler.Core.Power;
using Scheduler.Signals.Kepler;

namespace Scheduler.Signals.Power;

/// <summary>
/// Fits each node's CPU power against its CPU utilisation from Kepler history: least squares for a
/// line, and a quadratic where five-fold cross-validation shows it predicts clearly better and it
/// rises over the whole range. Outliers (spikes Kepler has been seen to report) are dropped by their
/// residual before the final fit. A node with too little history of its own is given the curve of
/// the pooled history of nodes with the same hardware.
/// </summary>
public sealed class PowerModelFitter(IOptions<KeplerOptions> options)
{
    // A quadratic must beat the line's held-out error by this much to be believed.
    private const double QuadraticGain = 0.95;

    // Utilisation must vary at least this much (5th to 95th percentile) for a slope to mean anything.
    private const double MinUtilisationSpread = 0.05;

    // Peers' pooled points are thinned to this many, to keep the fit of a large fleet cheap.
    private const int MaxPooledPoints = 20_000;

    private readonly KeplerOptions _options = options.Value;

    /// <summary>Fits a model for every node in <paramref name="histories"/> whose own or peers' history allows one.</summary>
    /// <param name="histories">The nodes' histories.</param>
    /// <param name="hardwareKeys">Each node's hardware key (from its current reading), to find its peers.</param>
    public IReadOnlyList<FittedPowerModel> FitAll(IReadOnlyList<NodeHistory> histories, IReadOnlyDictionary<string, string> hardwareKeys)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(hardwareKeys);
        var models = new List<FittedPowerModel>(histories.Count);
        var pending = new List<(NodeHistory History, Points Points)>();
        var byHardware = new Dictionary<string, List<Points>>(StringComparer.Ordinal);
        foreach (var history in histories)
        {
            var key = hardwareKeys.TryGetValue(history.Node, out var k) ? k : "?";
            var points = Clean(history);
            if (!byHardware.TryGetValue(key, out var group))
            {
                byHardware[key] = group = [];
            }

            group.Add(points);
            if (Fit(points, history.Node, key, fromPeers: false, Gpus(history)) is { } own)
            {
                models.Add(own);
            }
            else
            {
                pending.Add((history, points));
            }
        }

        // Nodes of the same hardware learn from each other: a new node gets the pooled curve of its
        // peers (its own points included) until its own history is long enough. The pooled curve is
        // the same for every new node of a kind, so it is fitted once per kind.
        var pooledByHardware = new Dictionary<string, FittedPowerModel?>(StringComparer.Ordinal);
        foreach (var (history, _) in pending)
        {
            var key = hardwareKeys.TryGetValue(history.Node, out var k) ? k : null;
            if (key is null || key.StartsWith('?') || !byHardware.TryGetValue(key, out var group) || group.Count < 2)
            {
                continue;
            }

            if (!pooledByHardware.TryGetValue(key, out var pooled))
            {
                pooledByHardware[key] = pooled = Fit(Points.Pool(group, MaxPooledPoints), string.Empty, key, fromPeers: true, gpu: null);
            }

            if (pooled is not null)
            {
                models.Add(pooled with { Node = history.Node, Gpu = Gpus(history) });
            }
        }

        return models;
    }

    /// <summary>The model of one history, or <c>null</c> when it cannot support one.</summary>
    public FittedPowerModel? Fit(NodeHistory history, string hardwareKey)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Fit(Clean(history), history.Node, hardwareKey, fromPeers: false, Gpus(history));
    }

    private FittedPowerModel? Fit(Points points, string node, string hardwareKey, bool fromPeers, GpuPowerFit? gpu)
    {
        if (points.Count < _options.MinHistoryPoints)
        {
            return null;
        }

        var u = points.Utilisation;
        var watts = points.Watts;
        if (Statistics.Quantile(u, 0.95) - Statistics.Quantile(u, 0.05) < MinUtilisationSpread)
        {
            return null;
        }

        // Drop the points the first line cannot explain at all, then fit again.
        var (a0, b0) = MathNet.Numerics.Fit.Line(u, watts);
        var residuals = new double[u.Length];
        for (var i = 0; i < u.Length; i++)
        {
            residuals[i] = Math.Abs(watts[i] - (a0 + (b0 * u[i])));
        }

        var mad = Statistics.Median(residuals);
        if (mad > 0)
        {
            var keep = Enumerable.Range(0, u.Length).Where(i => residuals[i] <= 8 * 1.4826 * mad).ToArray();
            u = keep.Select(i => u[i]).ToArray();
            watts = keep.Select(i => watts[i]).ToArray();
            if (u.Length < _options.MinHistoryPoints)
            {
                return null;
            }
        }

        var (a, b) = MathNet.Numerics.Fit.Line(u, watts);
        if (!double.IsFinite(a) || !double.IsFinite(b) || b < 0)
        {
            // Power that falls with load is noise or a broken exporter, not a model.
            return null;
        }

        var curve = new PowerCurve(a, b);
        var kind = PowerCurveKind.Linear;
        if (Quadratic(u, watts) is { } quadratic)
        {
            curve = quadratic;
            kind = PowerCurveKind.Quadratic;
        }

        var predicted = u.Select(curve.WattsAt).ToArray();
        var rSquared = GoodnessOfFit.CoefficientOfDetermination(predicted, watts);
        return new FittedPowerModel(
            node,
            curve,
            kind,
            Statistics.Quantile(points.Watts, _options.IdleQuantile),
            double.IsFinite(rSquared) ? rSquared : 0,
            u.Length,
            points.Days,
            fromPeers,
            hardwareKey,
            gpu);
    }

    private static PowerCurve? Quadratic(double[] u, double[] watts)
    {
        // Only where the data reaches far enough along the curve for its bend to be seen.
        if (Statistics.Quantile(u, 0.95) - Statistics.Quantile(u, 0.05) < 0.4 || u.Length < 30)
        {
            return null;
        }

        var c = MathNet.Numerics.Fit.Polynomial(u, watts, 2);
        var curve = new PowerCurve(c[0], c[1], c[2]);
        var rising = c[1] >= 0 && c[1] + (2 * c[2]) >= 0;
        if (!rising || !c.All(double.IsFinite))
        {
            return null;
        }

        return CrossValidated(u, watts, 2) < QuadraticGain * CrossValidated(u, watts, 1) ? curve : null;
    }

    // Five-fold held-out RMSE of a polynomial fit of the given order (folds by index modulo 5, so
    // every fold spans the whole history).
    private static double CrossValidated(double[] u, double[] watts, int order)
    {
        const int folds = 5;
        double squared = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var trainU = new List<double>(u.Length);
            var trainW = new List<double>(u.Length);
            for (var i = 0; i < u.Length; i++)
            {
                if (i % folds != fold)
                {
                    trainU.Add(u[i]);
                    trainW.Add(watts[i]);
                }
            }

            var c = MathNet.Numerics.Fit.Polynomial(trainU.ToArray(), trainW.ToArray(), order);
            for (var i = fold; i < u.Length; i += folds)
            {
                var error = watts[i] - Polynomial.Evaluate(u[i], c);
                squared += error * error;
            }
        }

        return Math.Sqrt(squared / u.Length);
    }

    private Points Clean(NodeHistory history)
    {
        var u = new List<double>(history.CpuWatts.Length);
        var w = new List<double>(history.CpuWatts.Length);
        int first = -1, last = -1;
        for (var i = 0; i < history.CpuWatts.Length && i < history.Utilisation.Length; i++)
        {
            var watts = history.CpuWatts[i];
            var load = history.Utilisation[i];
            if (StartsASeries(history.CpuWatts, i))
            {
                continue;
            }

            if (double.IsFinite(watts) && double.IsFinite(load) && watts >= 0 && watts <= _options.MaxCpuWatts && load is >= 0 and <= 1)
            {
                u.Add(load);
                w.Add(watts);
                first = first < 0 ? i : first;
                last = i;
            }
        }

        var days = first < 0 ? 0 : (last - first) * history.Step.TotalDays;
        return new Points(u.ToArray(), w.ToArray(), days);
    }

    private GpuPowerFit? Gpus(NodeHistory history)
    {
        var idle = new List<double>();
        var active = new List<double>();
        foreach (var device in history.GpuWatts.Values)
        {
            var watts = device.Where((w, i) => !StartsASeries(device, i) && double.IsFinite(w) && w >= 0 && w <= _options.MaxGpuWatts).ToArray();
            if (watts.Length < _options.MinHistoryPoints)
            {
                continue;
            }

            var low = Statistics.Quantile(watts, _options.IdleQuantile);
            idle.Add(low);

            // Busy: clearly above idle. A device never seen busy says nothing of its active power.
            var high = Statistics.Quantile(watts, 0.99);
            var threshold = low + Math.Max(30, 0.2 * (high - low));
            var busy = watts.Where(w => w > threshold).ToArray();
            if (busy.Length >= 3)
            {
                active.Add(Statistics.Median(busy));
            }
        }

        return idle.Count == 0 ? null : new GpuPowerFit(idle.Count, idle.Average(), active.Count > 0 ? active.Average() : null);
    }

    // The first point of a series, or the first after a gap, is a rate over a window the counter
    // only partly covered (Kepler or the node had just started): Prometheus extrapolates it short.
    private static bool StartsASeries(double[] values, int i) =>
        double.IsFinite(values[i]) && (i == 0 || !double.IsFinite(values[i - 1]));

    private sealed record Points(double[] Utilisation, double[] Watts, double Days)
    {
        public int Count => Watts.Length;

        public static Points Pool(List<Points> group, int max)
        {
            var total = group.Sum(p => p.Count);
            var stride = Math.Max(1, (int)Math.Ceiling(total / (double)max));
            var u = new List<double>(Math.Min(total, max));
            var w = new List<double>(Math.Min(total, max));
            var index = 0;
            foreach (var points in group)
            {
                for (var i = 0; i < points.Count; i++, index++)
                {
                    if (index % stride == 0)
                    {
                        u.Add(points.Utilisation[i]);
                        w.Add(points.Watts[i]);
                    }
                }
            }

            return new Points(u.ToArray(), w.ToArray(), group.Max(p => p.Days));
        }
    }
}
