using System.Globalization;

namespace Scheduler.Benchmarks.KeplerRefresh;

/// <summary>The options of <c>kepler-refresh</c>.</summary>
/// <param name="Nodes">Nodes in the fleet.</param>
/// <param name="Days">Days of history, written and read (<c>Kepler:HistoryDays</c>).</param>
/// <param name="Repeat">Measured runs of each step after the first.</param>
/// <param name="ScrapeSeconds">How long Prometheus scrapes the live exporters before the reads.</param>
/// <param name="Seed">Selects the fleet and its history.</param>
internal sealed record KeplerRefreshSettings(int Nodes, double Days, int Repeat, int ScrapeSeconds, int Seed)
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "kepler-refresh [--nodes 1000] [--days 7] [--repeat 5] [--scrape-seconds 150] [--seed 1]\n" +
        "  --nodes           nodes in the fleet, 10-5000\n" +
        "  --days            days of history written, backfilled and read, 0.5-14\n" +
        "  --repeat          measured runs of each step after the first, 1-20\n" +
        "  --scrape-seconds  live scraping (every 5 s) before the reads, 150-900: the 120 s reading window must be full\n" +
        "  --seed            selects the fleet and its history";

    /// <summary>Reads the options; <c>null</c> with <paramref name="error"/> set when one is unknown or out of range.</summary>
    public static KeplerRefreshSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new KeplerRefreshSettings(1000, 7, 5, 150, 1);
        error = null;
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            var value = args[i + 1];
            settings = args[i] switch
            {
                "--nodes" when Number(value, 10, 5000) is { } n => settings with { Nodes = (int)n },
                "--days" when Number(value, 0.5, 14) is { } d => settings with { Days = d },
                "--repeat" when Number(value, 1, 20) is { } r => settings with { Repeat = (int)r },
                "--scrape-seconds" when Number(value, 150, 900) is { } s => settings with { ScrapeSeconds = (int)s },
                "--seed" when Number(value, 0, int.MaxValue) is { } s => settings with { Seed = (int)s },
                _ => null!,
            };
            if (settings is null)
            {
                error = $"{args[i]} {value}: unknown option or value out of range";
                return null;
            }
        }

        return settings;
    }

    private static double? Number(string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;
}
