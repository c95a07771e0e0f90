using Scheduler.Core.Accounting;
using Scheduler.Core.Intensity;

namespace Scheduler.Core.Tests.Accounting;

// Every expected figure is worked out by hand in the comment above it, from hourly actual intensities.
public class EmissionsAccountantTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // 2 kWh: 5.4 MJ of CPU and 1.8 MJ of GPU.
    private static readonly JobEnergy TwoKwh = new(5_400_000, 1_800_000, EnergySource.Measured);

    [Fact]
    public void Account_DelayedInItsOnlyZone_SavesTheDifferenceAllOfItTemporal()
    {
        // Baseline: 2 kWh over 00:00-02:00 at mean(400, 300) = 350 -> 700 g.
        // Emitted: 2 kWh over 02:00-04:00 at mean(100, 200) = 150 -> 300 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]));
        var entry = Entry(["A"], [Run(2, 4, "A")], TwoKwh);

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal(AccountingStatus.Accounted, account.Status);
        Assert.Equal("A", account.BaselineZone);
        Assert.Equal(700, account.BaselineGrams, 6);
        Assert.Equal(300, account.EmittedGrams, 6);
        Assert.Equal(400, account.TemporalSavedGrams, 6);
        Assert.Equal(0, account.SpatialSavedGrams, 6);
        Assert.Equal(400, account.SavedGrams, 6);
        Assert.Equal(400.0 / 7, account.SavedPercent, 6);
        Assert.Equal(1, account.IntensityCoverage);
    }

    [Fact]
    public void Account_DelayedAndMoved_SplitsTheSavingIntoWhenAndWhere()
    {
        // Baseline zone: A, cleaner than B at submission (350 against 500). Baseline 700 g as above.
        // The runs' time in A: 02:00-04:00 at 150 -> 300 g; so the temporal part is 700 - 300 = 400 g.
        // Emitted in B: 02:00-04:00 at 50 -> 100 g; so the spatial part is 300 - 100 = 200 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 50, 50]));
        var entry = Entry(["A", "B"], [Run(2, 4, "B")], TwoKwh);

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal("A", account.BaselineZone);
        Assert.Equal(700, account.BaselineGrams, 6);
        Assert.Equal(100, account.EmittedGrams, 6);
        Assert.Equal(400, account.TemporalSavedGrams, 6);
        Assert.Equal(200, account.SpatialSavedGrams, 6);
        Assert.Equal(600, account.SavedGrams, 6);
    }

    [Fact]
    public void Account_AnotherCandidateWasCleanerAtSubmission_ComparesAgainstThatOne()
    {
        // B was the cleaner candidate at submission (200 against 350): the baseline is 2 kWh x 200 = 400 g, not 700 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [200, 200, 50, 50]));
        var entry = Entry(["A", "B"], [Run(2, 4, "B")], TwoKwh);

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal("B", account.BaselineZone);
        Assert.Equal(400, account.BaselineGrams, 6);
        Assert.Equal(100, account.EmittedGrams, 6);
        Assert.Equal(300, account.TemporalSavedGrams, 6);
        Assert.Equal(0, account.SpatialSavedGrams, 6);
    }

    [Fact]
    public void Account_InterruptedJob_SpreadsTheEnergyOverItsRunsByLength()
    {
        // 3 kWh over 3 h of runs: 1 kWh in 01:00-02:00 at 100, 2 kWh in 03:00-05:00 at mean(200, 300) = 250.
        // Emitted 100 + 500 = 600 g; baseline 3 kWh over 00:00-03:00 at mean(400, 100, 500) -> 1000 g.
        var actuals = Actuals(("A", [400, 100, 500, 200, 300]));
        var entry = Entry(["A"], [Run(1, 2, "A"), Run(3, 5, "A")], new JobEnergy(10_800_000, 0, EnergySource.Estimated));

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal(600, account.EmittedGrams, 6);
        Assert.Equal(1000, account.BaselineGrams, 6);
        Assert.Equal(400, account.SavedGrams, 6);
    }

    [Fact]
    public void Account_MeasuredHoldingEnergy_IsChargedAgainstTheSaving()
    {
        // 0.5 kWh spent holding in A over 00:00-02:00 at 350 -> 175 g; the saving of 400 g becomes 225 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]));
        var entry = Entry(["A"], [Run(2, 4, "A")], TwoKwh) with { Holding = new HoldingEnergy(1_800_000, "A", T0, T0.AddHours(2)) };

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal(175, account.HoldingGrams, 6);
        Assert.Equal(225, account.SavedGrams, 6);
        Assert.Equal(300 + 175, account.SciGrams, 6);
    }

    [Fact]
    public void Account_EmbodiedShareKnown_IsPartOfTheSciButNotOfTheSaving()
    {
        var actuals = Actuals(("A", [400, 300, 100, 200]));
        var entry = Entry(["A"], [Run(2, 4, "A")], TwoKwh) with { EmbodiedGrams = 12.5 };

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal(312.5, account.SciGrams, 6);
        Assert.Equal(400, account.SavedGrams, 6);
    }

    [Fact]
    public void Account_NoEnergyRecorded_ClaimsNothing()
    {
        var account = EmissionsAccountant.Account(Entry(["A"], [Run(2, 4, "A")], null), Actuals(("A", [400, 300, 100, 200])));

        Assert.Equal(AccountingStatus.NoEnergy, account.Status);
        Assert.Equal(0, account.SavedGrams);
    }

    [Fact]
    public void Account_NoActualsForTheZoneItRanIn_ClaimsNothing()
    {
        var account = EmissionsAccountant.Account(Entry(["A"], [Run(2, 4, "C")], TwoKwh), Actuals(("A", [400, 300, 100, 200])));

        Assert.Equal(AccountingStatus.NoIntensity, account.Status);
        Assert.Equal(0, account.BaselineGrams);
    }

    [Fact]
    public void Account_ActualsCoverHalfOfARun_ReportsHalfCoverage()
    {
        // The run 02:00-04:00 meets the series only in 02:00-03:00.
        var account = EmissionsAccountant.Account(Entry(["A"], [Run(2, 4, "A")], TwoKwh), Actuals(("A", [400, 300, 100])));

        Assert.Equal(AccountingStatus.Accounted, account.Status);
        Assert.Equal(0.5, account.IntensityCoverage, 6);
        Assert.Equal(200, account.EmittedGrams, 6);
    }

    [Fact]
    public void EmbodiedGrams_OneDayOfAQuarterOfAServer_IsTheSciShare()
    {
        // 1000 kg x (1 day / 1461 days) x 0.25 = 171.116 g.
        var grams = EmbodiedEmissions.Grams(1000, TimeSpan.FromDays(1461), TimeSpan.FromDays(1), 0.25);

        Assert.Equal(1_000_000 / 1461.0 * 0.25, grams, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.Grams(1000, TimeSpan.Zero, TimeSpan.FromDays(1), 0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.Grams(1000, TimeSpan.FromDays(1), TimeSpan.FromDays(1), 1.5));
    }

    [Fact]
    public void Account_DryRunJob_IsAccountedAsItRanWithWhatThePlanWouldHaveSaved()
    {
        // Not held, planned to start at 02:00 in B. It ran at once, 00:00-02:00 in A: 2 kWh at mean(400, 300) = 350
        // -> 700 g emitted, and its baseline is the same 700 g (nothing saved, temporal and spatial 0).
        // The plan's window, as long as the run: 02:00-04:00 in B at mean(100, 50) = 75 -> 150 g.
        // Would have saved: 2 kWh x (350 - 75) = 550 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 100, 50]));
        var entry = Entry(["A", "B"], [Run(0, 2, "A")], TwoKwh) with { Deferred = false, PlannedStart = T0.AddHours(2), PlannedZone = "B" };

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.True(entry.IsDryRun);
        Assert.Equal(AccountingStatus.Accounted, account.Status);
        Assert.Equal("A", account.BaselineZone);
        Assert.Equal(700, account.EmittedGrams, 6);
        Assert.Equal(700, account.BaselineGrams, 6);
        Assert.Equal(0, account.SavedGrams, 6);
        Assert.Equal(0, account.TemporalSavedGrams, 6);
        Assert.Equal(0, account.SpatialSavedGrams, 6);
        Assert.Equal(550, account.DryRunSavedGrams!.Value, 6);
    }

    [Fact]
    public void Account_DryRunJobWithoutAPlannedZone_ComparesInTheZoneItRanIn()
    {
        // Ran 00:00-01:00 in A at 400 (1 kWh of 2 -> all of it: 800 g); the plan's window 03:00-04:00 in A at 200.
        // Would have saved: 2 kWh x (400 - 200) = 400 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]));
        var entry = Entry(["A"], [Run(0, 1, "A")], TwoKwh) with { Deferred = false, PlannedStart = T0.AddHours(3) };

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.Equal(800, account.EmittedGrams, 6);
        Assert.Equal(400, account.DryRunSavedGrams!.Value, 6);
    }

    [Fact]
    public void DryRunWouldHaveSaved_NoIntensityOverThePlansWindow_IsNull()
    {
        var series = new IntensitySeries(T0, TimeSpan.FromHours(1), [100, 100]);

        Assert.Null(EmissionsAccountant.DryRunWouldHaveSaved(2, 500, series, T0.AddHours(5), TimeSpan.FromHours(1)));
        Assert.Null(EmissionsAccountant.DryRunWouldHaveSaved(2, 500, null, T0, TimeSpan.FromHours(1)));

        // 2 kWh emitted 500 g (250 g/kWh); the plan's hour at 100: 2 x (250 - 100) = 300 g.
        Assert.Equal(300, EmissionsAccountant.DryRunWouldHaveSaved(2, 500, series, T0, TimeSpan.FromHours(1))!.Value, 6);
    }

    [Fact]
    public void Account_HeldJob_HasNoDryRunFigure()
    {
        var actuals = Actuals(("A", [400, 300, 100, 200]));
        var entry = Entry(["A"], [Run(2, 4, "A")], TwoKwh) with { PlannedStart = T0.AddHours(2), PlannedZone = "A" };

        Assert.Null(EmissionsAccountant.Account(entry, actuals).DryRunSavedGrams);
    }

    [Fact]
    public void Account_PlacedOnlyJob_ComparesItsRunsWithTheNodeWeightedCandidatesAllOfItSpatial()
    {
        // Never held or planned; queued, it ran 02:00-04:00 in B. Candidates: A with 3 nodes, B with 1 (75 % and 25 %).
        // Expected intensity over 02:00-04:00 of a carbon-blind placement: 0.75 x mean(100, 200) + 0.25 x mean(50, 50)
        // = 112.5 + 12.5 = 125 -> baseline 2 kWh x 125 = 250 g. Emitted: 2 kWh x 50 = 100 g. Saved 150 g, all spatial.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 50, 50]));
        var entry = Placed(["A", "B"], [3, 1], [Run(2, 4, "B")]);

        var account = EmissionsAccountant.Account(entry, actuals);

        Assert.True(entry.IsPlacedOnly);
        Assert.False(entry.IsDryRun);
        Assert.Equal(AccountingStatus.Accounted, account.Status);
        Assert.Equal("A 75%, B 25%", account.BaselineZone);
        Assert.Equal(250, account.BaselineGrams, 6);
        Assert.Equal(100, account.EmittedGrams, 6);
        Assert.Equal(0, account.TemporalSavedGrams, 6);
        Assert.Equal(150, account.SpatialSavedGrams, 6);
        Assert.Equal(150, account.SavedGrams, 6);
        Assert.Null(account.DryRunSavedGrams);
    }

    [Fact]
    public void Account_PlacedOnlyJobInTheDirtierZone_SavesLessThanNothing()
    {
        // As above, but it ran in A: 2 kWh x 150 = 300 g against the expected 250 g: -50 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 50, 50]));

        var account = EmissionsAccountant.Account(Placed(["A", "B"], [3, 1], [Run(2, 4, "A")]), actuals);

        Assert.Equal(300, account.EmittedGrams, 6);
        Assert.Equal(-50, account.SpatialSavedGrams, 6);
        Assert.Equal(-50, account.SavedGrams, 6);
    }

    [Fact]
    public void Account_PlacedOnlyJobInterrupted_WeighsEachRunAtItsOwnTime()
    {
        // Runs 00:00-01:00 in A (1 kWh at 400 -> 400 g) and 03:00-04:00 in B (1 kWh at 50 -> 50 g): 450 g emitted.
        // Expected, equal shares (nodes not counted): 00:00-01:00 (400 + 500) / 2 = 450; 03:00-04:00 (200 + 50) / 2
        // = 125: 1 kWh x 450 + 1 kWh x 125 = 575 g. Saved 125 g.
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 50, 50]));

        var account = EmissionsAccountant.Account(Placed(["A", "B"], null, [Run(0, 1, "A"), Run(3, 4, "B")]), actuals);

        Assert.Equal("A 50%, B 50%", account.BaselineZone);
        Assert.Equal(450, account.EmittedGrams, 6);
        Assert.Equal(575, account.BaselineGrams, 6);
        Assert.Equal(125, account.SpatialSavedGrams, 6);
    }

    [Fact]
    public void Account_PlacedOnlyJobWithACandidateWithoutActuals_ClaimsNothing()
    {
        var actuals = Actuals(("B", [500, 500, 50, 50]));

        var account = EmissionsAccountant.Account(Placed(["A", "B"], [3, 1], [Run(2, 4, "B")]), actuals);

        Assert.Equal(AccountingStatus.NoIntensity, account.Status);
        Assert.Equal(0, account.SavedGrams);
    }

    [Fact]
    public void PlacementWeights_NodeCounts_AreSharesWithUncountableOnesReplacedByEqualShares()
    {
        Assert.Equal([("A", 0.75), ("B", 0.25)], EmissionsAccountant.PlacementWeights(Placed(["A", "B"], [3, 1], [Run(0, 1, "A")])));

        // A zone with no node that could run it has no share; counts that do not match the zones are not used.
        Assert.Equal([("A", 1.0)], EmissionsAccountant.PlacementWeights(Placed(["A", "B"], [2, 0], [Run(0, 1, "A")])));
        Assert.Equal([("A", 0.5), ("B", 0.5)], EmissionsAccountant.PlacementWeights(Placed(["A", "B"], [2], [Run(0, 1, "A")])));
        Assert.Equal([("A", 0.5), ("B", 0.5)], EmissionsAccountant.PlacementWeights(Placed(["A", "B"], [0, 0], [Run(0, 1, "A")])));

        // No candidates recorded: the zones it ran in.
        Assert.Equal([("B", 1.0)], EmissionsAccountant.PlacementWeights(Placed([], null, [Run(0, 1, "B"), Run(2, 3, "B")])));
    }

    [Fact]
    public void Assumptions_WithPlacedOnlyJobs_SayHowTheirBaselineIsMade()
    {
        var actuals = Actuals(("A", [400, 300, 100, 200]), ("B", [500, 500, 50, 50]));
        var builder = new SavingsSummaryBuilder(T0, T0.AddDays(1));
        builder.Add(EmissionsAccountant.Account(Placed(["A", "B"], [3, 1], [Run(2, 4, "B")]), actuals));
        builder.Add(EmissionsAccountant.Account(Entry(["A"], [Run(2, 4, "A")], TwoKwh), actuals));

        var summary = builder.Build(new Dictionary<string, int>());

        Assert.Equal(1, summary.Total.PlacedJobs);
        Assert.Contains(AccountingAssumptions.For(summary), line => line.StartsWith("1 of 2 accounted Jobs were only placed by the extender", StringComparison.Ordinal));
    }

    private static LedgerEntry Entry(IReadOnlyList<string> zones, IReadOnlyList<RecordedRun> runs, JobEnergy? energy) =>
        new("uid-1", "ml", "train", "vision", T0, zones, Deferred: true, runs, energy);

    private static LedgerEntry Placed(IReadOnlyList<string> zones, IReadOnlyList<int>? nodes, IReadOnlyList<RecordedRun> runs) =>
        Entry(zones, runs, TwoKwh) with { Deferred = false, CandidateNodeCounts = nodes };

    private static RecordedRun Run(int fromHour, int toHour, string zone) => new(T0.AddHours(fromHour), T0.AddHours(toHour), zone);

    private static Dictionary<string, IntensitySeries> Actuals(params (string Zone, double[] Hourly)[] zones) =>
        zones.ToDictionary(z => z.Zone, z => new IntensitySeries(T0, TimeSpan.FromHours(1), z.Hourly), StringComparer.Ordinal);
}
