using System.Globalization;

namespace Scheduler.Core.Quantities;

/// <summary>
/// Reads Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>1.5</c>, <c>4Gi</c>, <c>1e3</c>) as numbers,
/// the way the API server's canonical form allows.
/// </summary>
public static class ResourceQuantity
{
    /// <summary>Parses a quantity; returns <c>false</c> for text that is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        var multiplier = 1.0;
        var suffixLength = 0;
        if (text.Length >= 2 && text[^1] == 'i')
        {
            multiplier = text[^2] switch
            {
                'K' => 1024d,
                'M' => 1024d * 1024,
                'G' => 1024d * 1024 * 1024,
                'T' => 1024d * 1024 * 1024 * 1024,
                'P' => 1024d * 1024 * 1024 * 1024 * 1024,
                'E' => 1024d * 1024 * 1024 * 1024 * 1024 * 1024,
                _ => double.NaN,
            };
            suffixLength = 2;
        }
        else
        {
            var last = text[^1];
            (multiplier, suffixLength) = last switch
            {
                'n' => (1e-9, 1),
                'u' => (1e-6, 1),
                'm' => (1e-3, 1),
                'k' => (1e3, 1),
                'M' => (1e6, 1),
                'G' => (1e9, 1),
                'T' => (1e12, 1),
                'P' => (1e15, 1),
                'E' => (1e18, 1),
                _ => (1.0, 0),
            };
        }

        if (double.IsNaN(multiplier))
        {
            return false;
        }

        if (!double.TryParse(text[..^suffixLength], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ||
            !double.IsFinite(number))
        {
            return false;
        }

        value = number * multiplier;
        return true;
    }
}
