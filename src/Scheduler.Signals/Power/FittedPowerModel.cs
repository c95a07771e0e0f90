using Scheduler.Core.Power;

namespace Scheduler.Signals.Power;

/// <summary>A node's power model, fitted from its Kepler history (or its peers').</summary>
/// <param name="Node">The node.</param>
/// <param name="Curve">CPU power against CPU utilisation.</param>
/// <param name="Kind">The curve's shape.</param>
/// <param name="IdleBaselineWatts">
/// The node's measured idle CPU power: a low quantile of its power over the history. Not Kepler's
/// "idle", which in 0.10+ is the share of the total left after the usage ratio.
/// </param>
/// <param name="RSquared">The share of the power's variance the curve explains, on the points fitted.</param>
/// <param name="Points">History points the curve was fitted on.</param>
/// <param name="HistoryDays">The time those points span, in days.</param>
/// <param name="FromPeers">Whether the curve was fitted on nodes of the same hardware because this node's own history is too short.</param>
/// <param name="HardwareKey">The hardware the node shares with its peers (CPU model and count, GPUs).</param>
/// <param name="Gpu">The GPUs' idle and active power, when the node has GPU history.</param>
public sealed record FittedPowerModel(
    string Node,
    PowerCurve Curve,
    PowerCurveKind Kind,
    double IdleBaselineWatts,
    double RSquared,
    int Points,
    double HistoryDays,
    bool FromPeers,
    string HardwareKey,
    GpuPowerFit? Gpu);
