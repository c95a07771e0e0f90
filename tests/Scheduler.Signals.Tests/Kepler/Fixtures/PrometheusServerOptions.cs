namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>What a <see cref="PrometheusServer"/> scrapes, how often, and what history it holds before its first scrape.</summary>
public sealed class PrometheusServerOptions
{
    /// <summary>The targets to scrape.</summary>
    public IReadOnlyList<ScrapeTarget> Targets { get; init; } = [];

    /// <summary>The scrape and rule evaluation interval; the scrape timeout is the same, so a slow answer never overlaps the next scrape.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// History in OpenMetrics text (see <see cref="OpenMetricsHistory"/>) imported into the TSDB with
    /// <c>promtool tsdb create-blocks-from openmetrics</c> before Prometheus starts; null imports nothing.
    /// </summary>
    public string? BackfillOpenMetrics { get; init; }

    /// <summary>
    /// A file holding OpenMetrics history to import, for history too large to hold as a string
    /// (<see cref="OpenMetricsHistory.WriteTo(string)"/>); null imports nothing. May be combined with <see cref="BackfillOpenMetrics"/>.
    /// </summary>
    public string? BackfillFile { get; init; }

    /// <summary>
    /// The longest block promtool writes. promtool parses its whole input once per block window, so a window
    /// covering the whole history (the default, 162 h = 6.75 days, the largest compaction range below a week)
    /// keeps the import to a couple of passes.
    /// </summary>
    public TimeSpan BackfillMaxBlockDuration { get; init; } = TimeSpan.FromHours(162);

    /// <summary>How long to wait for <c>/-/ready</c> after starting Prometheus.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
