using System.Globalization;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// What the policies may know when they decide, from the command line: perfect forecasts by default,
/// the actual intensity plus seeded noise with <c>--forecast-error</c>, or forecasts as they were
/// issued with <c>--forecasts [ZONE=]FILE</c> (jobs are planned again as each one is issued).
/// </summary>
/// <param name="Source">The forecasts.</param>
/// <param name="Description">How the output names them: <c>perfect</c>, <c>noise 0.05 seed 1</c> or <c>issued</c>.</param>
internal sealed record SimulationForecasts(IForecastSource Source, string Description)
{
    public static SimulationForecasts Create(string? errorText, string? seedText, IReadOnlyList<string> forecastFiles, CarbonFiles carbon)
    {
        if (errorText is not null && forecastFiles.Count > 0)
        {
            throw new UsageException("--forecast-error and --forecasts exclude each other: draw noisy forecasts or replay issued ones");
        }

        if (seedText is not null && errorText is null)
        {
            throw new UsageException("--seed applies only with --forecast-error");
        }

        if (errorText is not null)
        {
            var error = NumberArguments.NonNegative("forecast-error", errorText, "0.05");
            var seed = seedText is null ? 1 : NumberArguments.Integer("seed", seedText);

            return new SimulationForecasts(
                new NoisyForecasts(carbon.Ordered, error, seed),
                string.Create(CultureInfo.InvariantCulture, $"noise {error} seed {seed}"));
        }

        if (forecastFiles.Count > 0)
        {
            return new SimulationForecasts(new IssuedForecasts(Issued(forecastFiles, carbon)), "issued");
        }

        return new SimulationForecasts(new PerfectForecasts(carbon.ByZone), "perfect");
    }

    private static Dictionary<string, IReadOnlyList<ForecastIssue>> Issued(IReadOnlyList<string> arguments, CarbonFiles carbon)
    {
        var issues = new Dictionary<string, IReadOnlyList<ForecastIssue>>(StringComparer.Ordinal);
        foreach (var file in ZoneFile.ParseAll("forecasts", arguments))
        {
            if (!carbon.Has(file.Zone))
            {
                throw new UsageException($"--forecasts: zone {file.Zone} ({file.Path}) has no --carbon file; known zones: {carbon.Known} (name it with ZONE=FILE)");
            }

            using var reader = InputFile.OpenText("forecasts", file.Path);
            issues[file.Zone] = ForecastIssuesCsv.Read(reader, file.Path);
        }

        var missing = carbon.Zones.Where(z => !issues.ContainsKey(z)).ToList();
        if (missing.Count > 0)
        {
            // A zone without forecasts would look forever unknown to the policies, silently biasing them towards the others.
            throw new UsageException($"--forecasts: no forecast file for zone{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}; with --forecasts every --carbon zone needs one");
        }

        return issues;
    }
}
