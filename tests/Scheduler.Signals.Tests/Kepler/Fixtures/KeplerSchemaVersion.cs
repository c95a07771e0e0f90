namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>Which of Kepler's two metric schemas a fixture speaks (kepler.md §1).</summary>
public enum KeplerSchemaVersion
{
    /// <summary>Kepler 0.10 and later (0.11.x): <c>kepler_node_cpu_joules_total{zone}</c>, <c>node_name</c>, pods with <c>state</c> (kepler.md §1.2).</summary>
    Rewrite,

    /// <summary>Kepler 0.7 to 0.9: <c>kepler_node_package_joules_total{mode}</c>, <c>kepler_container_joules_total</c>, the node in Kepler's own <c>instance</c> label (kepler.md §1.4).</summary>
    Legacy,
}
