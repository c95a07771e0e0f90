using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// The <c>--trace FILE</c> options shared by <c>simulate</c> and <c>evaluate</c>: what a GAIA trace
/// does not say about its jobs (its start, units, deadlines, power, zones), read and then the trace.
/// </summary>
internal static class TraceOptions
{
    /// <summary>The options that describe a trace, beside <c>--trace</c> itself.</summary>
    public static readonly string[] Names = ["trace-start", "trace-units", "max-delay", "watts-per-cpu", "trace-zones", "interruptible"];

    /// <summary>The jobs of <c>--trace</c>, as the other options describe them.</summary>
    public static List<SimulationJob> Read(CommandArguments options, CarbonFiles carbon)
    {
        var path = options.Required("trace");
        var settings = new GaiaTraceSettings(
            TimeArguments.Time("trace-start", options.Optional("trace-start") ?? throw new UsageException("--trace-start is required with --trace: the time the trace's time 0 stands for")),
            Unit(options.Optional("trace-units") ?? "seconds"),
            TimeArguments.Duration("max-delay", options.Optional("max-delay") ?? "24h"),
            options.Optional("watts-per-cpu") is { } watts ? NumberArguments.Positive("watts-per-cpu", watts, "watts") : 10,
            Zones(options.Optional("trace-zones"), carbon),
            Flag("interruptible", options.Optional("interruptible") ?? "false"));
        using var trace = InputFile.OpenText("trace", path);
        return GaiaTrace.Read(trace, path, settings);
    }

    private static TimeSpan Unit(string text) => text switch
    {
        "seconds" => TimeSpan.FromSeconds(1),
        "minutes" => TimeSpan.FromMinutes(1),
        "hours" => TimeSpan.FromHours(1),
        _ => throw new UsageException($"--trace-units '{text}' must be seconds, minutes or hours"),
    };

    private static List<string> Zones(string? text, CarbonFiles carbon)
    {
        if (text is null)
        {
            return [.. carbon.Zones];
        }

        var zones = new List<string>();
        foreach (var zone in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!carbon.Has(zone))
            {
                throw new UsageException($"--trace-zones: zone {zone} has no --carbon file; known zones: {carbon.Known}");
            }

            if (!zones.Contains(zone))
            {
                zones.Add(zone);
            }
        }

        return zones.Count > 0 ? zones : throw new UsageException("--trace-zones names no zone");
    }

    private static bool Flag(string option, string text) => text switch
    {
        _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw new UsageException($"--{option} '{text}' must be true or false"),
    };
}
