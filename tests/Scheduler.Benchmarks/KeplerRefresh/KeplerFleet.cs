using System.Globalization;
using Scheduler.Signals.Tests.Kepler.Fixtures;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>One kind of node hardware in the fleet and its true CPU power curve.</summary>
/// <param name="CpuModel">The CPU model Kepler reports (<c>model_name</c>).</param>
/// <param name="Cpus">Logical CPUs (one <c>kepler_node_cpu_info</c> series each).</param>
/// <param name="IdleWatts">CPU power at zero utilisation, before the per-node spread.</param>
/// <param name="WattsAtFullLoad">CPU power at full utilisation, before the per-node spread.</param>
/// <param name="CurveExponent">1 for a linear curve, above 1 for a convex one.</param>
/// <param name="Gpus">GPUs per node.</param>
internal sealed record HardwareKind(string CpuModel, int Cpus, double IdleWatts, double WattsAtFullLoad, double CurveExponent, int Gpus);

/// <summary>A node of the fleet: its true power model, its history length and its power while Prometheus scrapes it live.</summary>
/// <param name="History">The node's true model, as written into the history.</param>
/// <param name="Kind">Its hardware.</param>
/// <param name="IsNew">Whether it joined hours ago, so its own history is too short and its model comes from its peers.</param>
/// <param name="LiveUtilisation">Its CPU utilisation while scraped live.</param>
/// <param name="RaplStartJoules">Its raw RAPL counter at the first live scrape (some wrap during the live window).</param>
internal sealed record FleetNode(SimulatedNodeHistory History, HardwareKind Kind, bool IsNew, double LiveUtilisation, double RaplStartJoules)
{
    /// <summary>The node's name.</summary>
    public string Name => History.Node;

    /// <summary>Whether GPU <paramref name="index"/> is busy while scraped live: every other one, so both powers are served.</summary>
    public static bool LiveGpuBusy(int index) => index % 2 == 0;
}

/// <summary>
/// A deterministic fleet for the Kepler refresh benchmark: five hardware kinds, one node in eight a GPU node with
/// eight GPUs, linear and convex CPU curves, each node's idle and full-load power spread by up to 5% around its
/// kind's, and one node in fifty new (a few hours of history). The exporter process and the benchmark build the
/// same fleet from the same arguments.
/// </summary>
internal static class KeplerFleet
{
    /// <summary>How long the new nodes have been reporting.</summary>
    public static readonly TimeSpan NewNodeHistory = TimeSpan.FromHours(4);

    /// <summary>The GPU node kind: 8 GPUs, a mildly convex CPU curve.</summary>
    public static readonly HardwareKind GpuKind = new("Intel(R) Xeon(R) Platinum 8462Y+", 128, 210, 600, 1.3, 8);

    /// <summary>The four CPU-only kinds, two linear and two convex.</summary>
    public static readonly IReadOnlyList<HardwareKind> CpuKinds =
    [
        new("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", 64, 120, 340, 1.0, 0),
        new("AMD EPYC 7763 64-Core Processor", 128, 160, 480, 1.5, 0),
        new("Intel(R) Xeon(R) Platinum 8480+", 112, 200, 650, 1.0, 0),
        new("AMD EPYC 9654 96-Core Processor", 192, 230, 720, 1.8, 0),
    ];

    /// <summary>The H100's power when idle and when busy, and the share of history steps it is busy.</summary>
    public static readonly GpuHistory Gpu = new(IdleWatts: 70, BusyWatts: 650, BusyFraction: 0.6);

    /// <summary>The fleet of <paramref name="count"/> nodes drawn from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<FleetNode> Create(int count, int seed)
    {
        var nodes = new List<FleetNode>(count);
        for (var i = 0; i < count; i++)
        {
            var random = new Random(unchecked((seed * 31) + i));
            var kind = i % 8 == 7 ? GpuKind : CpuKinds[(i % 8) % CpuKinds.Count];
            var idle = kind.IdleWatts * Spread(random);
            var full = kind.WattsAtFullLoad * Spread(random);
            var gpus = Enumerable.Repeat(Gpu, kind.Gpus).ToArray();
            var name = string.Create(CultureInfo.InvariantCulture, $"node-{i + 1:D4}");
            nodes.Add(new FleetNode(
                new SimulatedNodeHistory(name, kind.Cpus, idle, full, kind.CurveExponent, gpus),
                kind,
                IsNew: i % 50 == 49,
                LiveUtilisation: 0.1 + (0.8 * random.NextDouble()),
                RaplStartJoules: random.NextDouble() * SimulatedKepler.HardwareWrapJoules));
        }

        return nodes;
    }

    /// <summary>One Kepler 0.10+ exporter's simulation of <paramref name="node"/>, drawing its live power.</summary>
    public static SimulatedKepler Simulate(FleetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var simulation = new SimulatedKepler(KeplerSchemaVersion.Rewrite, raplStartJoules: node.RaplStartJoules);
        var watts = node.History.CpuWatts(node.LiveUtilisation);
        var simulated = simulation.AddNode(
            node.Name,
            node.Kind.Cpus,
            packageWatts: watts * (1 - OpenMetricsHistory.DramShare),
            dramWatts: watts * OpenMetricsHistory.DramShare,
            usageRatio: node.LiveUtilisation,
            cpuModel: node.Kind.CpuModel);
        for (var g = 0; g < node.History.Gpus.Count; g++)
        {
            var gpu = node.History.Gpus[g];
            simulated.AddGpu(FleetNode.LiveGpuBusy(g) ? gpu.BusyWatts : gpu.IdleWatts, gpu.IdleWatts, gpu.ProductName);
        }

        return simulation;
    }

    private static double Spread(Random random) => 0.95 + (0.1 * random.NextDouble());
}
