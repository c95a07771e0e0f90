using System.Globalization;

namespace Scheduler.Reporting;

/// <summary>How numbers and times are written in every report format: invariant culture, UTC, ISO 8601.</summary>
internal static class ReportNumbers
{
    public static string Number(double value, int decimals = 3) => Math.Round(value, decimals).ToString("0.###", CultureInfo.InvariantCulture);

    public static string Number(double? value, int decimals = 3) => value is { } v ? Number(v, decimals) : string.Empty;

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? Time(t) : string.Empty;

    /// <summary>Grams as people read them: g below a kilogram, kg below a tonne, t beyond.</summary>
    public static string Mass(double grams) => Math.Abs(grams) switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{grams:0.#} g"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{grams / 1_000:0.##} kg"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{grams / 1_000_000:0.###} t"),
    };

    public static string Percent(double percent) => string.Create(CultureInfo.InvariantCulture, $"{percent:0.#} %");
}
