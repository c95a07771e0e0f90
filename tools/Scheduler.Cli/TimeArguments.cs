using System.Globalization;
using Scheduler.Core.Annotations;

namespace Scheduler.Cli;

/// <summary>Reads times and durations as the command line writes them: ISO 8601 (UTC when no offset) and Go durations.</summary>
internal static class TimeArguments
{
    public static DateTimeOffset Time(string option, string text)
    {
        if (TryTime(text, out var time))
        {
            return time;
        }

        throw new UsageException($"--{option} '{text}' is not an ISO 8601 time such as 2026-11-24T06:00:00Z");
    }

    /// <summary>An ISO 8601 time (also <c>2025-01-01 00:00:00</c>), read as UTC when it has no offset.</summary>
    public static bool TryTime(ReadOnlySpan<char> text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>A time, or a duration after <paramref name="from"/> (e.g. <c>12h</c>).</summary>
    public static DateTimeOffset TimeOrOffset(string option, string text, DateTimeOffset from) =>
        GoDuration.TryParse(text, out var offset, out _) ? from + offset : Time(option, text);

    public static TimeSpan Duration(string option, string text) =>
        GoDuration.TryParse(text, out var duration, out var error) && duration > TimeSpan.Zero
            ? duration
            : throw new UsageException($"--{option}: {(error.Length > 0 ? error : "the duration must be positive")}");
}
