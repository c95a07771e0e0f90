using System.Globalization;

namespace Scheduler.Core.Annotations;

/// <summary>
/// Parses durations written as in Kubernetes and Go (<c>90m</c>, <c>2h30m</c>, <c>1.5h</c>, <c>45s</c>),
/// the form users already write in manifests.
/// </summary>
public static class GoDuration
{
    /// <summary>Parses <paramref name="text"/>; returns <c>false</c> with a message saying what is wrong.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the duration is empty; write it like 90m or 2h30m";
            return false;
        }

        var span = text.AsSpan().Trim();
        var totalSeconds = 0.0;
        var position = 0;
        while (position < span.Length)
        {
            var numberStart = position;
            while (position < span.Length && (char.IsAsciiDigit(span[position]) || span[position] == '.'))
            {
                position++;
            }

            if (position == numberStart ||
                !double.TryParse(span[numberStart..position], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{text}' is not a duration: expected a number at position {numberStart}; write it like 90m or 2h30m";
                return false;
            }

            var unitStart = position;
            while (position < span.Length && char.IsAsciiLetter(span[position]))
            {
                position++;
            }

            double? unitSeconds = span[unitStart..position] switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 0.001,
                _ => null,
            };
            if (unitSeconds is null)
            {
                error = $"'{text}' is not a duration: unit '{span[unitStart..position].ToString()}' is not one of h, m, s, ms";
                return false;
            }

            totalSeconds += number * unitSeconds.Value;
        }

        if (totalSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            error = $"'{text}' is too long a duration";
            return false;
        }

        duration = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }
}
