namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>One target for a <see cref="PrometheusServer"/> to scrape.</summary>
/// <param name="Job">The <c>job</c> label Prometheus gives every series of the target; targets with the same job share one scrape config.</param>
/// <param name="HostPort">Where to scrape, e.g. <c>127.0.0.1:41234</c>; becomes the <c>instance</c> label.</param>
/// <param name="HonorLabels">
/// Prometheus' <c>honor_labels</c>: when false (its default) a label the exporter sets itself that clashes with a
/// target label, such as legacy Kepler's <c>instance</c>, is kept as <c>exported_instance</c>; when true the exporter's value wins.
/// </param>
/// <param name="MetricsPath">The path to scrape.</param>
public sealed record ScrapeTarget(string Job, string HostPort, bool HonorLabels = false, string MetricsPath = "/metrics");
