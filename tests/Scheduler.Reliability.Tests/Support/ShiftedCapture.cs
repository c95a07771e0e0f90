using System.Globalization;
using System.Text.RegularExpressions;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// A captured provider answer moved in time: every timestamp in it is shifted by the same amount, so that its first
/// one falls at the start of the current step, and written back in the format it had. The answer keeps its real
/// shape and values, and covers now, as a live answer would.
/// </summary>
internal static partial class ShiftedCapture
{
    /// <summary><paramref name="json"/> with every timestamp moved so that the earliest is <paramref name="now"/> floored to <paramref name="step"/>.</summary>
    public static string Shift(string json, DateTimeOffset now, TimeSpan step)
    {
        var times = Timestamp().Matches(json).Select(m => Parse(m.Value)).ToList();
        if (times.Count == 0)
        {
            return json;
        }

        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % step.Ticks), TimeSpan.Zero);
        var offset = start - times.Min();
        return Timestamp().Replace(json, m => Format(m, Parse(m.Value) + offset));
    }

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Format(Match original, DateTimeOffset time)
    {
        var seconds = original.Groups["seconds"].Success;
        var fraction = original.Groups["fraction"].Value;
        var zone = original.Groups["zone"].Value;
        var local = zone == "Z" ? time.ToUniversalTime() : time.ToOffset(Offset(zone));
        var text = local.ToString(seconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        if (fraction.Length > 0)
        {
            text += "." + local.ToString(new string('f', fraction.Length - 1), CultureInfo.InvariantCulture);
        }

        return text + (zone == "Z" ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture));
    }

    private static TimeSpan Offset(string zone)
    {
        var magnitude = new TimeSpan(int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[4..6], CultureInfo.InvariantCulture), 0);
        return zone[0] == '-' ? -magnitude : magnitude;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?<seconds>:\d{2}(?<fraction>\.\d+)?)?(?<zone>Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Timestamp();
}
