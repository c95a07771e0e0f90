using System.Globalization;
using System.Text.Json;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// Writes the result of <c>carbon simulate</c>: a table, or one JSON object per policy on one line
/// whose first fields (<c>policy, jobs, baselineGrams, policyGrams, savedPercent, missedDeadlines,
/// meanDelayHours, p95DelayHours</c>) are part of the interface.
/// </summary>
internal static class SimulationOutput
{
    public static void WriteJson(TextWriter stdout, IReadOnlyList<SimulationReport> reports, SimulationSetup setup)
    {
        object? capacity = setup.Capacity is { } c ? new { maxJobs = c.MaxJobs, maxGpus = c.MaxGpus } : null;
        foreach (var report in reports)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                policy = report.Policy,
                jobs = report.Outcomes.Count,
                baselineGrams = Math.Round(report.BaselineGrams, 3),
                policyGrams = Math.Round(report.PolicyGrams, 3),
                savedPercent = Math.Round(report.SavedPercent, 3),
                missedDeadlines = report.MissedDeadlines,
                meanDelayHours = Math.Round(report.MeanDelayHours, 3),
                p95DelayHours = Math.Round(report.P95DelayHours, 3),
                uncovered = report.Uncovered,
                forecasts = setup.Forecasts,
                capacity,
                perZone = PerZone(report, setup).Select(z => new { zone = z.Zone, jobs = z.Jobs, grams = Math.Round(z.Grams, 3) }),
            }));
        }
    }

    public static void WriteTable(TextWriter stdout, IReadOnlyList<SimulationReport> reports, SimulationSetup setup)
    {
        var width = Math.Max("policy".Length, reports.Max(r => r.Policy.Length)) + 2;
        stdout.WriteLine(Line($"{"policy".PadRight(width)}{"jobs",8}{"baseline kg",14}{"policy kg",14}{"saved %",9}{"missed",8}{"mean delay h",14}{"p95 delay h",13}"));
        foreach (var r in reports)
        {
            stdout.WriteLine(Line($"{r.Policy.PadRight(width)}{r.Outcomes.Count,8}{r.BaselineGrams / 1000,14:0.000}{r.PolicyGrams / 1000,14:0.000}{r.SavedPercent,9:0.00}{r.MissedDeadlines,8}{r.MeanDelayHours,14:0.00}{r.P95DelayHours,13:0.00}"));
        }

        stdout.WriteLine();
        var zoneWidth = Math.Max("zone".Length, setup.Zones.Max(z => z.Length)) + 2;
        stdout.WriteLine(Line($"{"per zone".PadRight(width)}{"zone".PadRight(zoneWidth)}{"jobs",8}{"policy kg",14}"));
        foreach (var r in reports)
        {
            var first = true;
            foreach (var (zone, jobs, grams) in PerZone(r, setup))
            {
                stdout.WriteLine(Line($"{(first ? r.Policy : string.Empty).PadRight(width)}{zone.PadRight(zoneWidth)}{jobs,8}{grams / 1000,14:0.000}"));
                first = false;
            }
        }

        stdout.WriteLine();
        stdout.WriteLine($"forecasts: {setup.Forecasts}; capacity: {Capacity(setup.Capacity)}");
    }

    /// <summary>One warning line per distinct count of jobs the carbon data does not cover; none when it covers them all.</summary>
    public static void WriteUncovered(TextWriter stderr, IReadOnlyList<SimulationReport> reports, SimulationSetup setup)
    {
        var uncovered = reports.Where(r => r.Uncovered > 0).ToList();
        if (uncovered.Count == 0)
        {
            return;
        }

        const string Why = "the carbon data does not cover their baseline or their run";
        if (uncovered.Count == reports.Count && uncovered.All(r => r.Uncovered == uncovered[0].Uncovered))
        {
            stderr.WriteLine(Line($"carbon: warning: {uncovered[0].Uncovered} of {setup.Jobs} jobs left out: {Why}"));
            return;
        }

        foreach (var r in uncovered)
        {
            stderr.WriteLine(Line($"carbon: warning: {r.Policy}: {r.Uncovered} of {setup.Jobs} jobs left out: {Why}"));
        }
    }

    // The policy's zones in the order the carbon files were given, rather than the order jobs happened to land in them.
    private static IEnumerable<(string Zone, int Jobs, double Grams)> PerZone(SimulationReport report, SimulationSetup setup)
    {
        var perZone = report.PerZone;
        foreach (var zone in setup.Zones)
        {
            if (perZone.TryGetValue(zone, out var figures))
            {
                yield return (zone, figures.Jobs, figures.Grams);
            }
        }
    }

    private static string Capacity(ClusterCapacity? capacity) => capacity switch
    {
        null => "unbounded",
        { MaxJobs: { } jobs, MaxGpus: { } gpus } => Line($"at most {jobs} jobs and {gpus} GPUs at once per zone"),
        { MaxJobs: { } jobs } => Line($"at most {jobs} jobs at once per zone"),
        { MaxGpus: { } gpus } => Line($"at most {gpus} GPUs at once per zone"),
        _ => "unbounded",
    };

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
