using System.Globalization;
using Scheduler.Core.Simulation;

namespace Scheduler.Cli.Simulation;

/// <summary>
/// Writes each job's outcome under each policy (<c>carbon simulate --outcomes FILE</c>):
/// <c>policy,id,zone,start,end,stretches,baseline_grams,policy_grams,delay_hours,missed_deadline</c>.
/// </summary>
internal static class OutcomesCsv
{
    public const string Header = "policy,id,zone,start,end,stretches,baseline_grams,policy_grams,delay_hours,missed_deadline";

    public static void Write(TextWriter writer, IReadOnlyList<SimulationReport> reports)
    {
        writer.WriteLine(Header);
        foreach (var report in reports)
        {
            var policy = Field(report.Policy);
            foreach (var o in report.Outcomes)
            {
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{policy},{Field(o.Job.Id)},{Field(o.Run.Zone)},{o.Run.Start:yyyy-MM-ddTHH:mm:ssZ},{o.Run.End:yyyy-MM-ddTHH:mm:ssZ},{o.Run.Chunks.Count},{Math.Round(o.BaselineGrams, 3)},{Math.Round(o.PolicyGrams, 3)},{Math.Round(o.Delay.TotalHours, 3)},{(o.MissedDeadline ? "true" : "false")}"));
            }
        }
    }

    // Ids come from the user's file and may hold a comma or a quote.
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(',', '"', '\n') < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
