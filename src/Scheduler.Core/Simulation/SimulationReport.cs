namespace Scheduler.Core.Simulation;

/// <summary>A policy's result over a trace: emissions against the baseline, delay and deadlines.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Outcomes">Each job's outcome, in trace order (in submission order with a capacity); jobs the actual data does not cover are left out.</param>
/// <param name="Uncovered">Jobs left out because the actual intensity does not cover their baseline or their run.</param>
public sealed record SimulationReport(string Policy, IReadOnlyList<JobOutcome> Outcomes, int Uncovered)
{
    /// <summary>Emissions of every job run at its nominal start in its home zone, gCO2eq.</summary>
    public double BaselineGrams => Outcomes.Sum(o => o.BaselineGrams);

    /// <summary>Emissions as the policy ran them, gCO2eq.</summary>
    public double PolicyGrams => Outcomes.Sum(o => o.PolicyGrams);

    /// <summary>The saving against the baseline, in percent (12.5 means 12.5 %).</summary>
    public double SavedPercent => BaselineGrams > 0 ? 100 * (BaselineGrams - PolicyGrams) / BaselineGrams : 0;

    /// <summary>Jobs that finished after their deadline.</summary>
    public int MissedDeadlines => Outcomes.Count(o => o.MissedDeadline);

    /// <summary>The mean delay against the baseline, in hours.</summary>
    public double MeanDelayHours => Outcomes.Count > 0 ? Outcomes.Average(o => o.Delay.TotalHours) : 0;

    /// <summary>The 95th percentile of delay, in hours (nearest rank).</summary>
    public double P95DelayHours
    {
        get
        {
            if (Outcomes.Count == 0)
            {
                return 0;
            }

            var delays = Outcomes.Select(o => o.Delay.TotalHours).Order().ToArray();
            return delays[Math.Max(0, (int)Math.Ceiling(0.95 * delays.Length) - 1)];
        }
    }

    /// <summary>Policy emissions and job count per zone the policy ran jobs in.</summary>
    public IReadOnlyDictionary<string, (int Jobs, double Grams)> PerZone =>
        Outcomes.GroupBy(o => o.Run.Zone, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(o => o.PolicyGrams)), StringComparer.Ordinal);
}
