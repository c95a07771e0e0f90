using System.Globalization;

namespace Scheduler.Core.Accounting;

/// <summary>The assumptions behind every savings figure, in words, for the report itself to state.</summary>
public static class AccountingAssumptions
{
    /// <summary>The assumptions that always hold, then those particular to <paramref name="summary"/>.</summary>
    public static IReadOnlyList<string> For(SavingsSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var total = summary.Total;
        List<string> lines =
        [
            "Intensities are the recorded actual (historical) carbon intensities of each grid zone, in gCO2eq/kWh, location-based; forecasts are used only to decide, never to account.",
            "Baseline of a held Job: the same energy, run in one piece from the Job's submission, in the baseline zone: the zone among those the Job could run in that was cleanest over that time, so that a saving from moving a Job is never overstated.",
            "A Job's energy is spread over its runs in proportion to their length (constant power).",
            "The saving splits into a temporal part (the baseline against the Job's actual run times in the baseline zone) and a spatial part (those run times in the baseline zone against the zones it ran in); the two add up to the gross saving.",
            "Energy spent holding a Job (for example GPUs kept idle for it) is charged against its saving where it was measured; where it was not, none is charged. A Job held with spec.suspend or an admission gate has no pods while it waits, so nothing is reserved for it.",
            "SCI per Job = (energy x intensity + embodied share) per run of the Job; the embodied share follows the SCI specification (total embodied x time reserved / lifespan x resources reserved / total resources) and is counted only where the hardware model gives total embodied emissions.",
            "Energy is the CPU and GPU energy Kepler measured for the Job's pods; data-centre overhead (PUE), memory outside the CPU package, storage and network are not included.",
            "A Job counts in the period it completed in; Jobs not yet complete, or without recorded intensities for their runs, are counted but claim nothing.",
        ];

        if (total.PlacedJobs > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{total.PlacedJobs} of {total.Accounted} accounted Jobs were only placed by the extender, never held: they ran when they would have run anyway, so their baseline is the same runs in the zone a scheduler blind to carbon would be expected to choose (the candidate zones' intensities weighted by how many nodes in each could run the Job, counted when it finished), and their saving is all spatial."));
        }

        if (total.EstimatedEnergy > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"The energy of {total.EstimatedEnergy} of {total.Accounted} accounted Jobs was estimated from the hardware power models and the Jobs' requests, because Kepler had no measurement for them."));
        }

        if (total.NotAccounted > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{total.NotAccounted} of {total.Jobs} Jobs could not be accounted for (not complete, no energy recorded, or no recorded intensity) and claim nothing."));
        }

        foreach (var (zone, steps) in summary.FilledIntensitySteps.Where(z => z.Value > 0).OrderBy(z => z.Key, StringComparer.Ordinal))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{steps} intensity steps of zone {zone} had no record and carry the value recorded before them."));
        }

        return lines;
    }
}
