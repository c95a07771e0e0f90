using System.Globalization;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// The samples of one Prometheus text exposition (<c>GET /metrics</c>), by series as written:
/// <c>name{label="value",...}</c>, or the bare name of a series without labels.
/// </summary>
internal sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _samples;
    private readonly string[] _lines;

    private MetricsScrape(Dictionary<string, double> samples, string[] lines)
    {
        _samples = samples;
        _lines = lines;
    }

    public static MetricsScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines.Where(l => !l.StartsWith('#')))
        {
            // Label values here hold no spaces, so the value is what follows the last one.
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return new MetricsScrape(samples, lines);
    }

    /// <summary>The value of <paramref name="series"/>, or <c>null</c> when the scrape does not have it.</summary>
    public double? Value(string series) => _samples.TryGetValue(series, out var value) ? value : null;

    /// <summary>The sample lines whose series starts with <paramref name="prefix"/>, for failure messages.</summary>
    public string Lines(string prefix) => string.Join(Environment.NewLine, _lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));
}
