using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;

namespace Scheduler.Reporting.Tests.Support;

/// <summary>
/// A ledger with four Jobs and a day of hourly actual intensities whose savings are worked out by hand:
/// <list type="bullet">
/// <item>ml/train-a (vision): could run in A or B, submitted 00:00, ran 02:00-04:00 in B on 2 kWh. Baseline zone A
/// (350 against 500 over 00:00-02:00): baseline 700 g, emitted 100 g, 400 g saved by timing and 200 g by location.</item>
/// <item>ml/train-b (speech): A only, submitted 00:00, ran 02:00-04:00 on 2 kWh, 0.5 kWh measured holding it over
/// 00:00-02:00: baseline 700 g, emitted 300 g, holding 175 g, saved 225 g.</item>
/// <item>etl/nightly (no team): A only, submitted 01:00, ran at once 01:00-02:00 on 1 kWh (estimated): 300 g, saved 0.</item>
/// <item>etl/pending: submitted 05:00, not complete: counted, not accounted for.</item>
/// </list>
/// In all: 3 of 4 Jobs accounted for, 5 kWh, baseline 1700 g, emitted 700 g, holding 175 g, saved 825 g
/// (48.5 %), 800 g by timing and 200 g by location.
/// With <c>dryRun</c>, a fifth: dry/report, in dry run (not held), A or B, submitted 00:00, planned for 02:00 in B, ran
/// at once 00:00-02:00 in A on 2 kWh: emitted 700 g against a baseline of the same 700 g; held as planned, 02:00-04:00
/// in B at 50, it would have emitted 100 g: it would have saved 600 g.
/// </summary>
internal static class SeededLedger
{
    public static readonly DateTimeOffset Day = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly double[] ZoneA = [400, 300, 100, 200, .. Enumerable.Repeat(250.0, 20)];

    public static readonly double[] ZoneB = [500, 500, 50, 50, .. Enumerable.Repeat(300.0, 20)];

    public static async Task<ILedger> CreateAsync(bool dryRun = false)
    {
        var ledger = new InMemoryLedger();
        var none = CancellationToken.None;
        await ledger.RecordActualsAsync([.. Hourly("A", ZoneA), .. Hourly("B", ZoneB)], none);

        // What the first plan saw, issued at 00:00: B's clean hours a little less clean than they were.
        await ledger.RecordForecastAsync(Day, [.. Hourly("A", ZoneA), .. Hourly("B", [500, 500, 80, 80, .. Enumerable.Repeat(300.0, 20)])], none);

        await Submit(ledger, "uid-a", "ml", "train-a", "vision", Day, ["A", "B"]);
        await ledger.RecordPlanAsync(new LedgerPlan("uid-a", Day, Day.AddHours(2), "B", Day.AddHours(10), 80, 350, "held until 02:00 in B"), none);
        await ledger.RecordRunStartAsync("uid-a", Day.AddHours(2), "B", "b-1", none);
        await ledger.RecordCompletionAsync(new LedgerCompletion("uid-a", Day.AddHours(4), "completed", new JobEnergy(5_400_000, 1_800_000, EnergySource.Measured), null, null), none);

        await Submit(ledger, "uid-b", "ml", "train-b", "speech", Day, ["A"]);
        await ledger.RecordRunStartAsync("uid-b", Day.AddHours(2), "A", "a-1", none);
        await ledger.RecordCompletionAsync(
            new LedgerCompletion("uid-b", Day.AddHours(4), "completed", new JobEnergy(7_200_000, 0, EnergySource.Measured), new HoldingEnergy(1_800_000, "A", Day, Day.AddHours(2)), null),
            none);

        await Submit(ledger, "uid-c", "etl", "nightly", null, Day.AddHours(1), ["A"], deferred: false);
        await ledger.RecordRunStartAsync("uid-c", Day.AddHours(1), "A", "a-2", none);
        await ledger.RecordCompletionAsync(new LedgerCompletion("uid-c", Day.AddHours(2), "completed", new JobEnergy(3_600_000, 0, EnergySource.Estimated), null, null), none);

        await Submit(ledger, "uid-d", "etl", "pending", null, Day.AddHours(5), ["A"]);
        if (dryRun)
        {
            await Submit(ledger, "uid-e", "dry", "report", null, Day, ["A", "B"], deferred: false);
            await ledger.RecordPlanAsync(new LedgerPlan("uid-e", Day, Day.AddHours(2), "B", Day.AddHours(10), 50, 350, "would hold until 02:00 in B"), none);
            await ledger.RecordRunStartAsync("uid-e", Day, "A", "a-3", none);
            await ledger.RecordCompletionAsync(new LedgerCompletion("uid-e", Day.AddHours(2), "completed", new JobEnergy(7_200_000, 0, EnergySource.Measured), null, null), none);
        }

        return ledger;
    }

    private static Task Submit(ILedger ledger, string uid, string ns, string name, string? team, DateTimeOffset at, IReadOnlyList<string> zones, bool deferred = true) =>
        ledger.RecordSubmissionAsync(new LedgerSubmission(uid, "Job", ns, name, team, at, at.AddHours(12), TimeSpan.FromHours(2), zones, deferred), CancellationToken.None);

    private static IEnumerable<IntensityPoint> Hourly(string zone, double[] values) =>
        values.Select((value, hour) => new IntensityPoint(zone, Day.AddHours(hour), value));
}
