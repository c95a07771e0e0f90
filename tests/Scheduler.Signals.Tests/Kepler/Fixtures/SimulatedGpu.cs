namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>An NVIDIA GPU of a <see cref="SimulatedNode"/>; the test may change its power at any time.</summary>
public sealed class SimulatedGpu
{
    private readonly SimulatedKepler _owner;
    private double _watts;
    private double _idleWatts;

    internal SimulatedGpu(SimulatedKepler owner, int index, string uuid, string productName, double watts, double idleWatts)
    {
        _owner = owner;
        Index = index;
        Uuid = uuid;
        ProductName = productName;
        _watts = SimulatedKepler.NonNegative(watts, nameof(watts));
        _idleWatts = SimulatedKepler.NonNegative(idleWatts, nameof(idleWatts));
    }

    /// <summary>The device index (<c>gpu</c> in the rewrite, <c>index</c> in the legacy schema).</summary>
    public int Index { get; }

    /// <summary>The device UUID, e.g. <c>GPU-00000001-0000-4000-8000-000000000000</c>.</summary>
    public string Uuid { get; }

    /// <summary>The product name, e.g. <c>NVIDIA H100 80GB HBM3</c>.</summary>
    public string ProductName { get; }

    /// <summary>The power it draws now.</summary>
    public double Watts
    {
        get => _watts;
        set => _owner.Change(() => _watts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>The power Kepler takes as its idle baseline; the rest of <see cref="Watts"/> is active.</summary>
    public double IdleWatts
    {
        get => _idleWatts;
        set => _owner.Change(() => _idleWatts = SimulatedKepler.NonNegative(value, nameof(value)));
    }

    /// <summary>Its true energy so far: what the hardware counter (NVML total energy) holds.</summary>
    public double TrueJoules => _owner.Read(() => HardwareJoules);

    internal double ActiveWatts => Math.Max(0, _watts - _idleWatts);

    internal double HardwareJoules { get; private set; }

    internal double KeplerActiveJoules { get; private set; }

    internal double KeplerIdleJoules { get; private set; }

    internal void Advance(double seconds)
    {
        var energy = _watts * seconds;
        var idle = Math.Min(_watts, _idleWatts) * seconds;
        HardwareJoules += energy;
        KeplerIdleJoules += idle;
        KeplerActiveJoules += energy - idle;
    }

    internal void ResetKeplerCounters()
    {
        KeplerActiveJoules = 0;
        KeplerIdleJoules = 0;
    }
}
