using System.Globalization;
using System.Text.Json;
using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Cli.Commands;

/// <summary><c>carbon window</c>: the best start for one job, from a zone's built-in profile or a carbon CSV.</summary>
internal static class WindowCommand
{
    public const string Usage =
        "carbon window --zone ZONE --duration D --deadline T [--from S] [--carbon FILE] [--config FILE] [--format json|table]\n" +
        "  D like 2h30m; T and S ISO 8601 (UTC when no offset), or T as a duration after S (e.g. 12h); S defaults to now.\n" +
        "  Without --carbon the zone's configured source is the forecast (Carbon__Zones__<ZONE>__* from the\n" +
        "  environment or --config appsettings.json), else its built-in profile.";

    private static readonly string[] Known = ["zone", "duration", "deadline", "from", "carbon", "config", "format"];

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TimeProvider time)
    {
        var options = CommandArguments.Parse(args, Known);
        var zone = options.Required("zone");
        var duration = TimeArguments.Duration("duration", options.Required("duration"));
        var from = options.Optional("from") is { } fromText ? TimeArguments.Time("from", fromText) : time.GetUtcNow();
        var deadline = TimeArguments.TimeOrOffset("deadline", options.Required("deadline"), from);
        var format = options.Optional("format") ?? "table";
        if (format is not ("json" or "table"))
        {
            throw new UsageException($"--format '{format}' must be json or table");
        }

        if (deadline - duration < from)
        {
            throw new UsageException($"a {duration} job starting at {from:O} cannot finish by {deadline:O}");
        }

        var (forecast, source) = options.Optional("carbon") is { } path
            ? (CarbonCsvFile.Read(path), Path.GetFileName(path))
            : FromConfiguredSource(zone, options.Optional("config"), from, time);
        var plan = WindowPlanner.FindBest(forecast, from, deadline, duration)
            ?? throw new UsageException($"the forecast ({forecast.Start:O} to {forecast.End:O}) has no {duration} window between {from:O} and {deadline:O}");

        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(
                new
                {
                    zone,
                    start = plan.Start,
                    end = plan.End,
                    meanIntensity = Math.Round(plan.MeanIntensityGramsPerKwh, 3),
                    intensityIfNow = Math.Round(plan.IntensityIfNowGramsPerKwh, 3),
                    savedPercent = Math.Round(plan.SavedPercent, 3),
                    source,
                },
                Json));
        }
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"zone            {zone}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start           {plan.Start:yyyy-MM-ddTHH:mm:ssZ}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end             {plan.End:yyyy-MM-ddTHH:mm:ssZ}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean intensity  {plan.MeanIntensityGramsPerKwh:0.0} gCO2eq/kWh"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"if run now      {plan.IntensityIfNowGramsPerKwh:0.0} gCO2eq/kWh"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved           {plan.SavedPercent:0.0} %"));
            stdout.WriteLine($"forecast from   {source}");
        }

        return 0;
    }

    private static (IntensitySeries Series, string Source) FromConfiguredSource(string zone, string? configFile, DateTimeOffset from, TimeProvider time)
    {
        var forecast = ZoneForecasts.ForecastAsync(zone, configFile, from, time, CancellationToken.None).GetAwaiter().GetResult();
        return (forecast.Series, forecast.Source);
    }
}
