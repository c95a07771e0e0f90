using System.Text.Encodings.Web;
using System.Text.Json;
using Scheduler.Signals.Intensity;
using Scheduler.Signals.Profiles;

namespace Scheduler.Cli.Commands;

/// <summary>
/// <c>carbon profile</c>: derives a built-in carbon profile (mean intensity by month, weekday and
/// half-hour of local time) from an intensity CSV, for <c>models/carbon-profiles/</c>.
/// </summary>
internal static class ProfileCommand
{
    public const string Usage =
        "carbon profile --input FILE --zone ZONE --time-zone IANA_ID [--source TEXT] [--signal TEXT] [--step-minutes 30] [--out FILE]\n" +
        "  Timestamps without an offset are read as wall-clock time in --time-zone.";

    private static readonly string[] Known = ["input", "zone", "time-zone", "source", "signal", "step-minutes", "out"];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var options = CommandArguments.Parse(args, Known);
        var input = options.Required("input");
        var zone = options.Required("zone");
        var timeZoneId = options.Required("time-zone");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var timeZone))
        {
            throw new UsageException($"--time-zone '{timeZoneId}' is not a known IANA time zone (e.g. Europe/Berlin)");
        }

        var stepText = options.Optional("step-minutes") ?? "30";
        if (!int.TryParse(stepText, out var step) || step <= 0 || (24 * 60) % step != 0)
        {
            throw new UsageException($"--step-minutes '{stepText}' must be a whole number of minutes that divides a day");
        }

        List<IntensityRow> rows;
        using (var reader = File.OpenText(input))
        {
            rows = IntensityCsv.Read(reader, Path.GetFileName(input));
        }

        var profile = CarbonProfileBuilder.Build(
            zone,
            timeZone,
            rows,
            options.Optional("source") ?? Path.GetFileName(input),
            options.Optional("signal") ?? "average carbon intensity, gCO2eq/kWh",
            step);

        var json = JsonSerializer.Serialize(profile, Json);
        var output = options.Optional("out");
        if (output is null)
        {
            stdout.WriteLine(json);
        }
        else
        {
            File.WriteAllText(output, json + "\n");
            stdout.WriteLine($"{zone}: {rows.Count} readings from {profile.Provenance.From} to {profile.Provenance.To} -> {output}");
        }

        return 0;
    }
}
