using System.Globalization;
using Scheduler.Core.Intensity;

namespace Scheduler.Core.Accounting;

/// <summary>
/// Accounts for one Job's emissions against running it at once, on recorded actual intensities (never
/// forecasts). The energy is spread over the runs in proportion to their length (constant power). The
/// baseline runs the same energy in one piece from submission, in the baseline zone: the candidate
/// zone that was cleanest over that time, so that a saving from moving the Job is never overstated.
/// The saving splits into a temporal part (the baseline against the actual runs' times in the baseline
/// zone) and a spatial part (those times in the baseline zone against the zones the runs used); the
/// two add up to the gross saving, and measured holding energy is charged against it. A Job the extender only placed
/// (<see cref="LedgerEntry.IsPlacedOnly"/>) ran when it would have run anyway: its baseline is the same runs in the zone
/// a scheduler blind to carbon would be expected to have chosen, and its saving is all spatial.
/// </summary>
public static class EmissionsAccountant
{
    /// <summary>Accounts for <paramref name="entry"/>.</summary>
    /// <param name="entry">The Job.</param>
    /// <param name="actuals">The recorded actual intensity of each zone.</param>
    public static JobEmissions Account(LedgerEntry entry, IReadOnlyDictionary<string, IntensitySeries> actuals)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(actuals);
        if (entry.Energy is not { } energy || entry.Runs.Count == 0)
        {
            return JobEmissions.NotAccounted(entry, AccountingStatus.NoEnergy);
        }

        var runTime = entry.RunTime;
        if (runTime <= TimeSpan.Zero)
        {
            return JobEmissions.NotAccounted(entry, AccountingStatus.NoEnergy);
        }

        var coverage = new Coverage();
        var kwh = energy.Kwh;
        var emitted = 0.0;
        foreach (var run in entry.Runs)
        {
            if (coverage.Mean(actuals, run.Zone, run.Start, run.End) is not { } intensity)
            {
                return JobEmissions.NotAccounted(entry, AccountingStatus.NoIntensity);
            }

            emitted += Share(kwh, run.Length, runTime) * intensity;
        }

        if (entry.IsDryRun)
        {
            // Never held: accounted as it ran, with what the plan it would have had would have saved beside it.
            var planZone = entry.PlannedZone ?? entry.Runs[0].Zone;
            var planSeries = actuals.TryGetValue(planZone, out var series) ? series : null;
            return new JobEmissions(
                entry,
                AccountingStatus.Accounted,
                entry.Runs[0].Zone,
                emitted,
                emitted,
                0,
                0,
                0,
                entry.EmbodiedGrams,
                coverage.Smallest,
                DryRunWouldHaveSaved(kwh, emitted, planSeries, entry.PlannedStart!.Value, runTime));
        }

        if (entry.IsPlacedOnly)
        {
            return AccountPlaced(entry, actuals, kwh, runTime, emitted, coverage);
        }

        var baselineEnd = entry.Submitted + runTime;
        var baselineZone = BaselineZone(entry, actuals, baselineEnd);
        if (baselineZone is null || coverage.Mean(actuals, baselineZone, entry.Submitted, baselineEnd) is not { } baselineIntensity)
        {
            return JobEmissions.NotAccounted(entry, AccountingStatus.NoIntensity);
        }

        // The actual runs, had they used the baseline zone: the pivot between the temporal and the spatial saving.
        var runsInBaselineZone = 0.0;
        foreach (var run in entry.Runs)
        {
            if (coverage.Mean(actuals, baselineZone, run.Start, run.End) is not { } intensity)
            {
                return JobEmissions.NotAccounted(entry, AccountingStatus.NoIntensity);
            }

            runsInBaselineZone += Share(kwh, run.Length, runTime) * intensity;
        }

        var holding = 0.0;
        if (entry.Holding is { } held)
        {
            if (coverage.Mean(actuals, held.Zone, held.From, held.To) is not { } intensity)
            {
                return JobEmissions.NotAccounted(entry, AccountingStatus.NoIntensity);
            }

            holding = held.Joules / JobEnergy.JoulesPerKwh * intensity;
        }

        var baseline = kwh * baselineIntensity;
        return new JobEmissions(
            entry,
            AccountingStatus.Accounted,
            baselineZone,
            emitted,
            baseline,
            baseline - runsInBaselineZone,
            runsInBaselineZone - emitted,
            holding,
            entry.EmbodiedGrams,
            coverage.Smallest);
    }

    /// <summary>
    /// What holding a dry-run Job as planned would have saved, gCO2eq: <paramref name="kwh"/> x (the actual mean
    /// intensity over its runs as they ran, <paramref name="emittedGrams"/> / <paramref name="kwh"/>, - the actual
    /// mean intensity of <paramref name="planZone"/> over <c>[plannedStart, plannedStart + runTime)</c>). Negative
    /// when the plan would have been dirtier. <c>null</c> when the plan's zone has no recorded intensity over that
    /// window, or there is no energy.
    /// </summary>
    /// <param name="kwh">The Job's energy.</param>
    /// <param name="emittedGrams">What its runs emitted, as they ran.</param>
    /// <param name="planZone">The recorded actual intensity of the plan's zone, if any.</param>
    /// <param name="plannedStart">The plan's start.</param>
    /// <param name="runTime">How long the Job ran in all: the plan's window is as long.</param>
    public static double? DryRunWouldHaveSaved(double kwh, double emittedGrams, IntensitySeries? planZone, DateTimeOffset plannedStart, TimeSpan runTime)
    {
        if (planZone is null || kwh <= 0 || runTime <= TimeSpan.Zero || planZone.MeanOver(plannedStart, plannedStart + runTime) is not { } planned)
        {
            return null;
        }

        return emittedGrams - (kwh * planned);
    }

    // Each run's expected intensity had a carbon-blind scheduler placed it: the mean of the candidate zones' recorded
    // intensities over the run, weighted by how many nodes in each could run the Job (each node equally likely).
    private static JobEmissions AccountPlaced(LedgerEntry entry, IReadOnlyDictionary<string, IntensitySeries> actuals, double kwh, TimeSpan runTime, double emitted, Coverage coverage)
    {
        var weights = PlacementWeights(entry);
        var baseline = 0.0;
        foreach (var run in entry.Runs)
        {
            var expected = 0.0;
            foreach (var (zone, weight) in weights)
            {
                if (coverage.Mean(actuals, zone, run.Start, run.End) is not { } intensity)
                {
                    return JobEmissions.NotAccounted(entry, AccountingStatus.NoIntensity);
                }

                expected += weight * intensity;
            }

            baseline += Share(kwh, run.Length, runTime) * expected;
        }

        return new JobEmissions(
            entry,
            AccountingStatus.Accounted,
            WeightsLabel(weights),
            emitted,
            baseline,
            0,
            baseline - emitted,
            0,
            entry.EmbodiedGrams,
            coverage.Smallest);
    }

    /// <summary>
    /// The share of a carbon-blind placement each zone would be expected to get: its candidate nodes over all candidate
    /// nodes; equal shares when the nodes were not counted; the zones it ran in when no candidates were recorded.
    /// </summary>
    /// <param name="entry">A Job.</param>
    public static IReadOnlyList<(string Zone, double Share)> PlacementWeights(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.CandidateZones.Count == 0)
        {
            var ran = entry.Runs.Select(r => r.Zone).Distinct(StringComparer.Ordinal).ToList();
            return [.. ran.Select(zone => (zone, 1.0 / ran.Count))];
        }

        var counts = entry.CandidateNodeCounts is { } known && known.Count == entry.CandidateZones.Count && known.All(c => c >= 0) && known.Sum() > 0
            ? known
            : null;
        var total = counts?.Sum() ?? entry.CandidateZones.Count;
        return [.. entry.CandidateZones
            .Select((zone, i) => (zone, Share: (counts?[i] ?? 1) / (double)total))
            .Where(w => w.Share > 0)];
    }

    // One zone by its name; several as their shares, e.g. "DE 60%, FR 40%".
    private static string WeightsLabel(IReadOnlyList<(string Zone, double Share)> weights) =>
        weights.Count == 1
            ? weights[0].Zone
            : string.Join(", ", weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Zone} {100 * w.Share:0.#}%")));

    // The candidate zone with the lowest recorded mean over the baseline run; the zones the Job ran in
    // when no candidates were recorded.
    private static string? BaselineZone(LedgerEntry entry, IReadOnlyDictionary<string, IntensitySeries> actuals, DateTimeOffset baselineEnd)
    {
        IEnumerable<string> zones = entry.CandidateZones.Count > 0 ? entry.CandidateZones : entry.Runs.Select(r => r.Zone);
        string? best = null;
        var bestMean = double.MaxValue;
        foreach (var zone in zones.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (actuals.TryGetValue(zone, out var series) && series.MeanOver(entry.Submitted, baselineEnd) is { } mean && mean < bestMean)
            {
                best = zone;
                bestMean = mean;
            }
        }

        return best;
    }

    private static double Share(double kwh, TimeSpan part, TimeSpan whole) => kwh * (part.Ticks / (double)whole.Ticks);

    // Tracks how much of each interval the recorded series covered; a mean over a partly covered
    // interval is the mean of the covered part.
    private sealed class Coverage
    {
        public double Smallest { get; private set; } = 1;

        public double? Mean(IReadOnlyDictionary<string, IntensitySeries> actuals, string zone, DateTimeOffset from, DateTimeOffset to)
        {
            if (!actuals.TryGetValue(zone, out var series) || series.MeanOver(from, to) is not { } mean)
            {
                return null;
            }

            if (to > from)
            {
                var coveredFrom = from < series.Start ? series.Start : from;
                var coveredTo = to > series.End ? series.End : to;
                Smallest = Math.Min(Smallest, (coveredTo - coveredFrom).Ticks / (double)(to - from).Ticks);
            }

            return mean;
        }
    }
}
