namespace Scheduler.Signals.Kepler;

/// <summary>One GPU of a node, as Kepler reads it.</summary>
/// <param name="Index">The device index (<c>gpu</c> in 0.10+, <c>index</c> in the legacy schema).</param>
/// <param name="Product">The product name, when Kepler gives it (0.11.4+: <c>gpu_name</c>).</param>
/// <param name="Watts">Mean power over the reading window, from the device's energy counter.</param>
/// <param name="IdleWatts">Kepler's idle power of the device (a minimum seen with no process), when exported.</param>
/// <param name="ActiveWatts">Kepler's active power of the device (total minus idle), when exported.</param>
public sealed record GpuReading(string Index, string? Product, MeasuredValue Watts, MeasuredValue? IdleWatts, MeasuredValue? ActiveWatts);
