namespace Scheduler.Signals.Kepler;

/// <summary>The two incompatible metric schemas Kepler has exported.</summary>
public enum KeplerSchema
{
    /// <summary>
    /// Kepler 0.10 and later (the rewrite): <c>kepler_node_cpu_joules_total{zone}</c> and friends,
    /// a <c>node_name</c> label, pods with <c>state</c> running/terminated; detected by <c>kepler_build_info</c>.
    /// </summary>
    Rewrite,

    /// <summary>
    /// Kepler 0.7 to 0.9: <c>kepler_node_package_joules_total{mode}</c>, <c>kepler_container_joules_total</c>,
    /// the node in Kepler's own <c>instance</c> label; detected by <c>kepler_exporter_build_info</c>.
    /// </summary>
    Legacy,
}
