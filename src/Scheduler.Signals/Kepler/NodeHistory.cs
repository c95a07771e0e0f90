namespace Scheduler.Signals.Kepler;

/// <summary>
/// A node's power and load over the model history, one point per step from <see cref="Start"/>;
/// NaN where Prometheus has no point (the node was down, Kepler was not running).
/// </summary>
/// <param name="Node">The node name.</param>
/// <param name="Schema">The Kepler schema the points come from.</param>
/// <param name="Start">The time of the first point.</param>
/// <param name="Step">The time between points.</param>
/// <param name="CpuWatts">CPU power per step.</param>
/// <param name="Utilisation">CPU utilisation (0..1) per step.</param>
/// <param name="GpuWatts">Power per step of each GPU, by index.</param>
public sealed record NodeHistory(
    string Node,
    KeplerSchema Schema,
    DateTimeOffset Start,
    TimeSpan Step,
    double[] CpuWatts,
    double[] Utilisation,
    IReadOnlyDictionary<string, double[]> GpuWatts);
