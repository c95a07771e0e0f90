using System.Globalization;

namespace Scheduler.Cli;

/// <summary>Reads the numbers of the command line, invariant culture, with errors that name the option and what it wants.</summary>
internal static class NumberArguments
{
    /// <summary>A finite number above zero.</summary>
    public static double Positive(string option, string text, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
            ? value
            : throw new UsageException($"--{option} '{text}' must be a positive number of {what}");

    /// <summary>A finite number of at least zero.</summary>
    public static double NonNegative(string option, string text, string example) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? value
            : throw new UsageException($"--{option} '{text}' must be a number of at least 0, e.g. {example}");

    /// <summary>A whole number of at least one.</summary>
    public static int Count(string option, string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1
            ? count
            : throw new UsageException($"--{option} '{text}' must be a whole number of {what} of at least 1");

    /// <summary>Any whole number, such as a seed.</summary>
    public static int Integer(string option, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{option} '{text}' must be a whole number");
}
