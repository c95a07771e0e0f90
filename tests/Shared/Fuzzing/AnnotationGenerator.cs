using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Scheduler.Core.Annotations;

namespace Scheduler.Tests.Shared.Fuzzing;

/// <summary>
/// Random annotation maps of Jobs: the real <c>carbon-aware.io/</c> keys (the user's and the
/// controller's) with values of every kind a user may write or a tool may leave: durations, RFC 3339
/// times with and without offsets, numbers at the edges, zone lists, booleans, unicode, empty and very
/// long strings. Times are drawn around <see cref="Now"/>.
/// </summary>
internal static class AnnotationGenerator
{
    /// <summary>The time generated times are drawn around.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 14, 18, 0, 0, TimeSpan.Zero);

    private static readonly string[] UserKeys =
    [
        CarbonAnnotations.Deadline, CarbonAnnotations.MaxDelay, CarbonAnnotations.Duration, CarbonAnnotations.Interruptible,
        CarbonAnnotations.MaxIntensity, CarbonAnnotations.Zones, CarbonAnnotations.ReleaseNow, CarbonAnnotations.Strict,
    ];

    private static readonly string[] ControllerKeys =
    [
        CarbonAnnotations.PlannedStart, CarbonAnnotations.PlannedZone, CarbonAnnotations.LatestStart, CarbonAnnotations.ExpectedIntensity,
        CarbonAnnotations.BaselineIntensity, CarbonAnnotations.State, CarbonAnnotations.Reason, CarbonAnnotations.DryRunPlan,
    ];

    /// <summary>Maps of the user's keys (each present or not) with values of any kind; controller keys sometimes.</summary>
    public static Gen<Dictionary<string, string>> Maps(bool withControllerKeys = false) =>
        from user in Gen.SubListOf(UserKeys)
        from controller in Gen.SubListOf(withControllerKeys ? ControllerKeys : [])
        from values in Gen.CollectToSequence(user.Concat(controller), key => ValueFor(key).Select(value => (key, value)))
        from foreign in Gen.Elements(true, false)
        select ToMap(values, foreign);

    /// <summary>Maps that ask for deferral with valid values only: a deadline or a max-delay, a duration, and sometimes zones and interruptible.</summary>
    public static Gen<Dictionary<string, string>> ValidRequests() =>
        from byDeadline in Gen.Elements(true, false)
        from hours in Gen.Choose(0, 72)
        from minutes in Gen.Choose(0, 59)
        from durationMinutes in Gen.Choose(1, 12 * 60)
        from interruptible in Gen.Elements<string?>(null, "true", "false")
        from zones in Gen.Elements<string?>(null, "DE", "DE,FR", "GB, FR ,DE")
        select ValidMap(byDeadline, hours, minutes, durationMinutes, interruptible, zones);

    private static Dictionary<string, string> ValidMap(bool byDeadline, int hours, int minutes, int durationMinutes, string? interruptible, string? zones)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CarbonAnnotations.Duration] = $"{durationMinutes}m",
        };
        if (byDeadline)
        {
            map[CarbonAnnotations.Deadline] = (Now + TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        else
        {
            map[CarbonAnnotations.MaxDelay] = $"{hours}h{minutes}m";
        }

        if (interruptible is not null)
        {
            map[CarbonAnnotations.Interruptible] = interruptible;
        }

        if (zones is not null)
        {
            map[CarbonAnnotations.Zones] = zones;
        }

        return map;
    }

    private static Dictionary<string, string> ToMap(IEnumerable<(string Key, string Value)> values, bool foreign)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        if (foreign)
        {
            map["kubectl.kubernetes.io/last-applied-configuration"] = "{\"apiVersion\":\"batch/v1\"}";
            map["Carbon-Aware.io/Deadline"] = "not our key: annotation keys are case-sensitive";
        }

        return map;
    }

    // Mostly values of the key's own kind (valid or nearly so), sometimes anything at all.
    private static Gen<string> ValueFor(string key)
    {
        var own = key switch
        {
            CarbonAnnotations.Deadline or CarbonAnnotations.PlannedStart or CarbonAnnotations.LatestStart => Times(),
            CarbonAnnotations.MaxDelay or CarbonAnnotations.Duration => Durations(),
            CarbonAnnotations.MaxIntensity or CarbonAnnotations.ExpectedIntensity or CarbonAnnotations.BaselineIntensity => Numbers(),
            CarbonAnnotations.Zones or CarbonAnnotations.PlannedZone => ZoneLists(),
            CarbonAnnotations.State => Gen.Elements("held", "released", "completed", "paused", "HELD", "", "unknown"),
            _ => Booleans(),
        };
        return Gen.Frequency((6, own), (1, Anything()));
    }

    private static Gen<string> Anything() => Gen.OneOf(Times(), Durations(), Numbers(), ZoneLists(), Booleans(), Odd());

    private static Gen<string> Durations() => Gen.OneOf(
        Gen.Elements("90m", "2h30m", "1.5h", "45s", "0s", "0", "1ms", "-2h", "h", "2d", "1e3h", "..5h", "5h-", "2h 30m", "9999999999h", "100000000h", "87600h", "87601h", "0.0000001s", "1h1h1h", "3600", "PT2H"),
        from number in Gen.Choose(0, 100_000)
        from fraction in Gen.Elements(string.Empty, ".5", ".25", ".")
        from unit in Gen.Elements("h", "m", "s", "ms", "us", "H", string.Empty)
        select number.ToString(CultureInfo.InvariantCulture) + fraction + unit);

    private static Gen<string> Times() => Gen.OneOf(
        from hours in Gen.Choose(-100, 24 * 60)
        from format in Gen.Elements("yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd", "yyyy-MM-dd't'HH:mm:ss'z'")
        from offset in Gen.Elements(0, 1, -5, 14, -12)
        select (Now + TimeSpan.FromHours(hours)).ToOffset(TimeSpan.FromHours(offset)).ToString(format, CultureInfo.InvariantCulture),
        Gen.Elements(
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-02-30T00:00:00Z",
            "2026-01-15T25:00:00Z", "2026-01-15T09:00:00+25:00", "2026-01-15T09:00:00+05", "next week", "1768500000", "T", "Z", "+00:00"));

    private static Gen<string> Numbers() => Gen.OneOf(
        Gen.Choose(-1000, 100_000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Elements("0", "-0", "0.5", "1e9", "1e308", "1e309", "-1e309", "NaN", "nan", "Infinity", "-Infinity", "∞", "1,5", "0x20", " 150 ", "200g", "4.9e-324", "79228162514264337593543950336"));

    private static Gen<string> ZoneLists() => Gen.Elements("DE", "DE,FR", " DE , DE ", ",", ",,DE,,", "de", "US-CAL-CISO", "日本", "DE;FR", string.Empty, " ", "XX,YY,ZZ");

    private static Gen<string> Booleans() => Gen.Elements("true", "false", "True", "TRUE", " true ", "yes", "1", "0", string.Empty, "tru");

    private static Gen<string> Odd() => Gen.OneOf(
        Gen.Elements(string.Empty, " ", "\t\n", "\u0000", "\u200b", "😀😀", "Ünïcödé", "a\u0000b", "\ud800"),
        Gen.Choose(1000, 20_000).Select(n => new string('7', n)),
        Gen.Choose(1000, 20_000).Select(n => string.Concat(Enumerable.Repeat("1h", n / 2))));
}
