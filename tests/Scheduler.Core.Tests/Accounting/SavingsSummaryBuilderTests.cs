using Scheduler.Core.Accounting;

namespace Scheduler.Core.Tests.Accounting;

public class SavingsSummaryBuilderTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_JobsOfTwoNamespacesOverTwoDays_AddsThemUpByNamespaceTeamAndDay()
    {
        var builder = new SavingsSummaryBuilder(From, From.AddDays(7), topJobs: 2);
        builder.Add(Job("a", "ml", "vision", completedDay: 0, baseline: 700, emitted: 300));
        builder.Add(Job("b", "ml", "speech", completedDay: 1, baseline: 500, emitted: 450));
        builder.Add(Job("c", "etl", null, completedDay: 1, baseline: 200, emitted: 100, estimated: true));
        builder.Add(JobEmissions.NotAccounted(Entry("d", "etl", null, completedDay: null), AccountingStatus.NoEnergy));

        var summary = builder.Build(new Dictionary<string, int>());

        Assert.Equal(TimeSpan.FromDays(1), summary.BucketLength);
        Assert.Equal((4, 3, 1, 1), (summary.Total.Jobs, summary.Total.Accounted, summary.Total.NotAccounted, summary.Total.EstimatedEnergy));
        Assert.Equal(1400, summary.Total.BaselineGrams, 6);
        Assert.Equal(850, summary.Total.EmittedGrams, 6);
        Assert.Equal(550, summary.Total.SavedGrams, 6);
        Assert.Equal(["etl", "ml"], summary.ByNamespace.Keys);
        Assert.Equal(450, summary.ByNamespace["ml"].SavedGrams, 6);
        Assert.Equal(["", "speech", "vision"], summary.ByTeam.Keys);
        Assert.Equal(
            [(From, "etl", 1), (From, "ml", 1), (From.AddDays(1), "etl", 1), (From.AddDays(1), "ml", 1)],
            summary.Buckets.Select(b => (b.Start, b.Namespace, b.Totals.Jobs)));
        Assert.Equal(["a", "c"], summary.TopJobs.Select(j => j.Entry.Uid));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(30, 24)]
    [InlineData(365, 24 * 7)]
    public void BucketFor_Period_GivesAFewDozenStretches(int days, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), SavingsSummaryBuilder.BucketFor(TimeSpan.FromDays(days)));

    [Fact]
    public void Build_DryRunJobs_AddUpWhatTheyWouldHaveSaved()
    {
        var builder = new SavingsSummaryBuilder(From, From.AddDays(1));
        builder.Add(Job("a", "ml", null, 0, 100, 80));
        builder.Add(Job("b", "ml", null, 0, 50, 50) with { DryRunSavedGrams = 20 });
        builder.Add(Job("c", "ml", null, 0, 70, 70) with { DryRunSavedGrams = -5 });

        var total = builder.Build(new Dictionary<string, int>()).Total;

        Assert.Equal(2, total.DryRunJobs);
        Assert.Equal(15, total.DryRunWouldHaveSavedGrams, 6);
        Assert.Equal(20, total.SavedGrams, 6);
    }

    private static JobEmissions Job(string uid, string ns, string? team, int completedDay, double baseline, double emitted, bool estimated = false)
    {
        var entry = Entry(uid, ns, team, completedDay) with { Energy = new JobEnergy(3_600_000, 0, estimated ? EnergySource.Estimated : EnergySource.Measured) };
        return new JobEmissions(entry, AccountingStatus.Accounted, "A", emitted, baseline, baseline - emitted, 0, 0, null, 1);
    }

    private static LedgerEntry Entry(string uid, string ns, string? team, int? completedDay) =>
        new(uid, ns, uid, team, From, ["A"], true, [], null, Completed: completedDay is { } day ? From.AddDays(day).AddHours(3) : null);
}
