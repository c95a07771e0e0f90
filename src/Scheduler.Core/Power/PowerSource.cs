namespace Scheduler.Core.Power;

/// <summary>Where a power figure comes from, so scores can say how far to trust it.</summary>
public enum PowerSource
{
    /// <summary>Fitted from the node's own measured power (Kepler).</summary>
    Measured,

    /// <summary>
    /// Fitted from the measured power of nodes of the same hardware, because this node has too
    /// little history of its own yet.
    /// </summary>
    MeasuredPeers,

    /// <summary>From the hardware power models (instance type, CPU class, GPU product).</summary>
    HardwareModel,

    /// <summary>From the fleet-average default model, because the hardware is not recognised.</summary>
    Default,
}
