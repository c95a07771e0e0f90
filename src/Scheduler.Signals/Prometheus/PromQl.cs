using System.Globalization;
using System.Text;

namespace Scheduler.Signals.Prometheus;

/// <summary>Safe pieces of PromQL: quoted label values, regex alternations and durations.</summary>
public static class PromQl
{
    /// <summary><paramref name="value"/> as a double-quoted PromQL string.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A quoted RE2 pattern matching exactly one of <paramref name="values"/>.</summary>
    public static string AnyOf(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var pattern = new StringBuilder();
        foreach (var value in values)
        {
            if (pattern.Length > 0)
            {
                pattern.Append('|');
            }

            foreach (var c in value)
            {
                // RE2 accepts a backslash before any punctuation; letters and digits are left alone.
                if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-' && c < 128)
                {
                    pattern.Append('\\');
                }

                pattern.Append(c);
            }
        }

        return Quote(pattern.ToString());
    }

    /// <summary><paramref name="duration"/> as a PromQL duration in whole seconds (at least 1s).</summary>
    public static string Duration(TimeSpan duration) =>
        Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
}
