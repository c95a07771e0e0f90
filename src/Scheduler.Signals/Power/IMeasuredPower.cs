using Scheduler.Core.Power;

namespace Scheduler.Signals.Power;

/// <summary>Measured power, laid over the hardware models of the nodes it knows.</summary>
public interface IMeasuredPower
{
    /// <summary>Whether measurements are configured at all (Kepler through Prometheus).</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// The power profile to score <paramref name="node"/> with: fitted from its measurements when they
    /// are fresh, otherwise <paramref name="modelled"/> with the reason it was not measured.
    /// </summary>
    NodePowerProfile Apply(string node, NodePowerProfile modelled);

    /// <summary>Raised after the measurements changed, so that cached node descriptions are rebuilt.</summary>
    event EventHandler? Changed;
}
