using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;

namespace Scheduler.Storage.Tests.Ledger;

/// <summary>
/// What every <see cref="ILedger"/> must do, run against each implementation (one subclass each), so that the
/// embedded default and PostgreSQL give the same answers.
/// </summary>
public abstract class LedgerContractTests : IAsyncLifetime
{
    /// <summary>A Sunday at midnight UTC; the tests' times are offsets from it.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    private ILedger? _ledger;

    /// <summary>The ledger under test, fresh and empty for each test.</summary>
    protected ILedger Ledger => _ledger ?? throw new InvalidOperationException("The ledger is created in InitializeAsync.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _ledger = await CreateLedgerAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_ledger is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task RecordSubmissionAsync_EveryField_ReadBack()
    {
        var submission = new LedgerSubmission("u1", "Pod", "ml", "train", "vision", T0, T0.AddHours(8), TimeSpan.FromMinutes(90), ["DE", "FR"], Deferred: true);

        await Ledger.RecordSubmissionAsync(submission, None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal("u1", entry.Uid);
        Assert.Equal("Pod", entry.Kind);
        Assert.Equal("ml", entry.Namespace);
        Assert.Equal("train", entry.Name);
        Assert.Equal("vision", entry.Team);
        Assert.Equal(T0, entry.Submitted);
        Assert.Equal(T0.AddHours(8), entry.Deadline);
        Assert.Equal(["DE", "FR"], entry.CandidateZones);
        Assert.True(entry.Deferred);
        Assert.Empty(entry.Runs);
        Assert.Null(entry.Energy);
        Assert.Null(entry.Holding);
        Assert.Null(entry.EmbodiedGrams);
        Assert.Null(entry.Completed);
        Assert.Null(entry.Outcome);
        Assert.Null(entry.PlannedIntensity);
        Assert.Null(entry.PlannedStart);
        Assert.Null(entry.PlannedZone);
        Assert.Null(entry.CandidateNodeCounts);
    }

    [Fact]
    public async Task RecordSubmissionAsync_PlacedJobWithItsZonesCounted_ReadBackWithTheCounts()
    {
        var submission = new LedgerSubmission("u1", "Job", "ml", "etl", null, T0, null, TimeSpan.FromHours(1), ["DE", "FR"], Deferred: false, [3, 1]);

        await Ledger.RecordSubmissionAsync(submission, None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.False(entry.Deferred);
        Assert.True(entry.IsPlacedOnly);
        Assert.Equal(["DE", "FR"], entry.CandidateZones);
        Assert.Equal([3, 1], entry.CandidateNodeCounts!);
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 1, -1 })]
    public async Task RecordSubmissionAsync_NodeCountsNotOnePerZone_Refused(int[] counts)
    {
        var submission = Submission("u1") with { CandidateZones = ["DE", "FR"], CandidateNodeCounts = counts };

        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RecordSubmissionAsync(submission, None));
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task RecordSubmissionAsync_Twice_OneEntry()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);

        Assert.Single(await ReadAllAsync());
    }

    [Fact]
    public async Task RecordSubmissionAsync_SecondCallWithOtherValues_UpdatesItAndKeepsItsCompletion()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1", team: "a"), None);
        await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(1)), None);

        await Ledger.RecordSubmissionAsync(Submission("u1", team: "b") with { Deferred = false, CandidateZones = ["PL"] }, None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal("b", entry.Team);
        Assert.False(entry.Deferred);
        Assert.Equal(["PL"], entry.CandidateZones);
        Assert.Equal(T0.AddHours(1), entry.Completed);
        Assert.Equal("completed", entry.Outcome);
    }

    [Fact]
    public async Task RecordPlanAsync_SameUidAndTimeTwice_OnePlanTheFirst()
    {
        var plan = Plan("u1", T0, 300);

        await Ledger.RecordPlanAsync(plan, None);
        await Ledger.RecordPlanAsync(plan, None);
        await Ledger.RecordPlanAsync(plan with { Reason = "a retry with other words" }, None);

        Assert.Equal([plan], await Ledger.ReadPlansAsync("u1", None));
    }

    [Fact]
    public async Task ReadPlansAsync_RecordedOutOfOrder_InTimeOrderWithEveryField()
    {
        var late = new LedgerPlan("u1", T0.AddHours(2), T0.AddHours(5), null, T0.AddHours(6), null, null, "no forecast: at once");
        var early = new LedgerPlan("u1", T0, T0.AddHours(4), "DE", T0.AddHours(6), 210.5, 380.25, "cleanest window");
        await Ledger.RecordPlanAsync(late, None);
        await Ledger.RecordPlanAsync(early, None);
        await Ledger.RecordPlanAsync(Plan("u2", T0.AddHours(1), 100), None);

        Assert.Equal([early, late], await Ledger.ReadPlansAsync("u1", None));
        Assert.Empty(await Ledger.ReadPlansAsync("unknown", None));
    }

    [Fact]
    public async Task PlannedIntensity_IsTheLastPlansExpectedIntensity()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordSubmissionAsync(Submission("u2", name: "other"), None);
        await Ledger.RecordPlanAsync(Plan("u1", T0.AddHours(2), 200), None);
        await Ledger.RecordPlanAsync(Plan("u1", T0.AddHours(1), 300), None);
        await Ledger.RecordPlanAsync(Plan("u2", T0.AddHours(1), 300), None);
        await Ledger.RecordPlanAsync(Plan("u2", T0.AddHours(2), null), None);

        var entries = await ReadAllAsync();

        Assert.Equal(200, entries.Single(e => e.Uid == "u1").PlannedIntensity);
        Assert.Null(entries.Single(e => e.Uid == "u2").PlannedIntensity);
    }

    [Fact]
    public async Task RecordRunStartAsync_SameStartTwice_OneRun()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", "node-a", None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "FR", "node-b", None);
        await Ledger.RecordRunEndAsync("u1", T0.AddHours(2), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", "node-a", None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal([new RecordedRun(T0.AddHours(1), T0.AddHours(2), "DE", "node-a")], entry.Runs);
    }

    [Fact]
    public async Task RecordRunStartAsync_WhileAnEarlierRunIsOpen_EndsItAtTheNewStart()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", "node-a", None);

        // The pause in between was missed.
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(3), "FR", null, None);
        await Ledger.RecordRunEndAsync("u1", T0.AddHours(4), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal(
            [new RecordedRun(T0.AddHours(1), T0.AddHours(3), "DE", "node-a"), new RecordedRun(T0.AddHours(3), T0.AddHours(4), "FR")],
            entry.Runs);
    }

    [Fact]
    public async Task RecordRunStartAsync_EarlierThanARecordedRun_EndsWhereTheLaterOneBegan()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(3), "FR", null, None);

        // Starts that arrive late, after the one that followed them: runs never overlap.
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", null, None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(2), "PL", null, None);
        await Ledger.RecordRunEndAsync("u1", T0.AddHours(4), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal(
            [
                new RecordedRun(T0.AddHours(1), T0.AddHours(2), "DE"),
                new RecordedRun(T0.AddHours(2), T0.AddHours(3), "PL"),
                new RecordedRun(T0.AddHours(3), T0.AddHours(4), "FR"),
            ],
            entry.Runs);
    }

    [Fact]
    public async Task RecordRunEndAsync_Twice_TheFirstEndIsKept()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0, "DE", null, None);

        await Ledger.RecordRunEndAsync("u1", T0.AddHours(1), None);
        await Ledger.RecordRunEndAsync("u1", T0.AddHours(2), None);

        Assert.Equal([new RecordedRun(T0, T0.AddHours(1), "DE")], Assert.Single(await ReadAllAsync()).Runs);
    }

    [Fact]
    public async Task RecordRunEndAsync_NoOpenRunOrBeforeItsStart_ChangesNothing()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunEndAsync("u1", T0, None);
        await Ledger.RecordRunEndAsync("unknown", T0, None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(2), "DE", null, None);

        await Ledger.RecordRunEndAsync("u1", T0.AddHours(1), None);
        Assert.Empty(Assert.Single(await ReadAllAsync()).Runs);

        await Ledger.RecordRunEndAsync("u1", T0.AddHours(3), None);
        Assert.Equal([new RecordedRun(T0.AddHours(2), T0.AddHours(3), "DE")], Assert.Single(await ReadAllAsync()).Runs);
    }

    [Fact]
    public async Task Runs_AnOpenRun_IsNotInTheEntryUntilItEnds()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0, "DE", null, None);
        await Ledger.RecordRunEndAsync("u1", T0.AddHours(1), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(2), "DE", null, None);

        var entry = Assert.Single(await ReadAllAsync());

        Assert.Equal([new RecordedRun(T0, T0.AddHours(1), "DE")], entry.Runs);
    }

    [Fact]
    public async Task RecordCompletionAsync_EndsTheOpenRunAndKeepsEnergyHoldingAndEmbodied()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(1), "DE", "node-a", None);
        var energy = new JobEnergy(3_600_000, 1_800_000.5, EnergySource.Measured);
        var holding = new HoldingEnergy(42_000, "DE", T0, T0.AddHours(1));

        await Ledger.RecordCompletionAsync(new LedgerCompletion("u1", T0.AddHours(3), "completed", energy, holding, 12.5), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal([new RecordedRun(T0.AddHours(1), T0.AddHours(3), "DE", "node-a")], entry.Runs);
        Assert.Equal(energy, entry.Energy);
        Assert.Equal(holding, entry.Holding);
        Assert.Equal(12.5, entry.EmbodiedGrams);
        Assert.Equal(T0.AddHours(3), entry.Completed);
        Assert.Equal("completed", entry.Outcome);
    }

    [Fact]
    public async Task RecordCompletionAsync_EstimatedEnergyWithoutHolding_ReadBack()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        var energy = new JobEnergy(1000, 0, EnergySource.Estimated);

        await Ledger.RecordCompletionAsync(new LedgerCompletion("u1", T0.AddHours(3), "failed", energy, null, null), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal(energy, entry.Energy);
        Assert.Null(entry.Holding);
        Assert.Null(entry.EmbodiedGrams);
        Assert.Equal("failed", entry.Outcome);
    }

    [Fact]
    public async Task RecordCompletionAsync_Twice_TheFirstIsKept()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(1)), None);
        await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(1)), None);

        // The Job object deleted after it completed.
        await Ledger.RecordCompletionAsync(new LedgerCompletion("u1", T0.AddHours(2), "deleted", null, null, null), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Equal(T0.AddHours(1), entry.Completed);
        Assert.Equal("completed", entry.Outcome);
        Assert.NotNull(entry.Energy);
    }

    [Fact]
    public async Task RecordCompletionAsync_RunStartedAfterIt_EndsAtItsOwnStart()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordRunStartAsync("u1", T0.AddHours(2), "DE", null, None);

        await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(1)), None);

        var run = Assert.Single(Assert.Single(await ReadAllAsync()).Runs);
        Assert.Equal(TimeSpan.Zero, run.Length);
    }

    [Fact]
    public async Task RecordCompletionAsync_UnknownUid_IsNotKeptButEndsItsRun()
    {
        await Ledger.RecordRunStartAsync("u1", T0, "DE", null, None);

        await Ledger.RecordCompletionAsync(Completion("u1", T0.AddHours(1)), None);
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);

        var entry = Assert.Single(await ReadAllAsync());
        Assert.Null(entry.Completed);
        Assert.Equal([new RecordedRun(T0, T0.AddHours(1), "DE")], entry.Runs);
    }

    [Fact]
    public async Task ReadEntriesAsync_Period_CompletedInItOrSubmittedInItAndOpen()
    {
        var from = T0.AddDays(1);
        var until = T0.AddDays(2);

        // In: completed in the period (submitted before it), at its start, and submitted in it and still open.
        await SubmitAsync("completed-inside", T0.AddHours(12), completed: from.AddHours(1));
        await SubmitAsync("completed-at-from", T0.AddHours(13), completed: from);
        await SubmitAsync("open-inside", from.AddHours(2));
        await SubmitAsync("open-at-from", from);

        // Out: completed before or after it (even when submitted in it), at its end, and open but submitted outside.
        await SubmitAsync("completed-before", T0, completed: from.AddTicks(-10));
        await SubmitAsync("completed-after", from.AddHours(3), completed: until.AddHours(1));
        await SubmitAsync("completed-at-until", from.AddHours(4), completed: until);
        await SubmitAsync("open-before", T0);
        await SubmitAsync("open-at-until", until);

        var entries = await ReadAllAsync(new LedgerQuery(from, until));

        Assert.Equal(["completed-inside", "completed-at-from", "open-at-from", "open-inside"], entries.Select(e => e.Uid));
    }

    [Fact]
    public async Task ReadEntriesAsync_NamespaceAndTeam_Filter()
    {
        await Ledger.RecordSubmissionAsync(Submission("a", ns: "ml", team: "vision", submitted: T0), None);
        await Ledger.RecordSubmissionAsync(Submission("b", ns: "ml", team: "speech", submitted: T0.AddMinutes(1)), None);
        await Ledger.RecordSubmissionAsync(Submission("c", ns: "etl", team: "vision", submitted: T0.AddMinutes(2)), None);
        await Ledger.RecordSubmissionAsync(Submission("d", ns: "ml", team: null, submitted: T0.AddMinutes(3)), None);
        var from = T0.AddHours(-1);
        var until = T0.AddHours(1);

        Assert.Equal(["a", "b", "d"], (await ReadAllAsync(new LedgerQuery(from, until, Namespace: "ml"))).Select(e => e.Uid));
        Assert.Equal(["a", "c"], (await ReadAllAsync(new LedgerQuery(from, until, Team: "vision"))).Select(e => e.Uid));
        Assert.Equal(["a"], (await ReadAllAsync(new LedgerQuery(from, until, "ml", "vision"))).Select(e => e.Uid));
        Assert.Empty(await ReadAllAsync(new LedgerQuery(from, until, "nobody")));
        Assert.Equal(4, (await ReadAllAsync(new LedgerQuery(from, until))).Count);
    }

    [Fact]
    public async Task ReadEntriesAsync_OrderedBySubmissionThenUid()
    {
        await Ledger.RecordSubmissionAsync(Submission("b", name: "n1", submitted: T0.AddMinutes(5)), None);
        await Ledger.RecordSubmissionAsync(Submission("c", name: "n2", submitted: T0), None);
        await Ledger.RecordSubmissionAsync(Submission("a", name: "n3", submitted: T0.AddMinutes(5)), None);
        await Ledger.RecordSubmissionAsync(Submission("B", name: "n4", submitted: T0.AddMinutes(5)), None);

        var entries = await ReadAllAsync();

        // Ordinal: upper case before lower case, whatever the server's locale.
        Assert.Equal(["c", "B", "a", "b"], entries.Select(e => e.Uid));
    }

    [Fact]
    public async Task ReadEntriesAsync_Cancelled_Throws()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var entry in Ledger.ReadEntriesAsync(WholeMonth, cancelled.Token))
            {
                Assert.Fail($"Read {entry.Uid} after cancellation.");
            }
        });
    }

    [Fact]
    public async Task ReadEntriesAsync_StoppedEarly_LedgerStillUsable()
    {
        for (var i = 0; i < 30; i++)
        {
            await Ledger.RecordSubmissionAsync(Submission($"u{i:D2}", name: $"n{i}", submitted: T0.AddMinutes(i)), None);
        }

        var firstThree = new List<string>();
        await foreach (var entry in Ledger.ReadEntriesAsync(WholeMonth, None))
        {
            firstThree.Add(entry.Uid);
            if (firstThree.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["u00", "u01", "u02"], firstThree);
        Assert.Equal(30, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task PlannedStartAndZone_AreTheLastPlans()
    {
        await Ledger.RecordSubmissionAsync(Submission("u1"), None);
        await Ledger.RecordSubmissionAsync(Submission("u2", name: "other"), None);
        await Ledger.RecordPlanAsync(Plan("u1", T0.AddHours(2), 200) with { Zone = "FR" }, None);
        await Ledger.RecordPlanAsync(Plan("u1", T0.AddHours(1), 300), None);
        await Ledger.RecordPlanAsync(Plan("u2", T0.AddHours(1), 300), None);
        await Ledger.RecordPlanAsync(Plan("u2", T0.AddHours(2), null) with { Zone = null }, None);

        var entries = await ReadAllAsync();
        var found = await Ledger.FindEntryAsync("ml", "other", None);

        var first = entries.Single(e => e.Uid == "u1");
        Assert.Equal(T0.AddHours(3), first.PlannedStart);
        Assert.Equal("FR", first.PlannedZone);
        var second = entries.Single(e => e.Uid == "u2");
        Assert.Equal(T0.AddHours(3), second.PlannedStart);
        Assert.Null(second.PlannedZone);
        Assert.NotNull(found);
        Assert.Equal(T0.AddHours(3), found.PlannedStart);
        Assert.Null(found.PlannedZone);
    }

    [Fact]
    public async Task FindEntryAsync_NameReused_TheLatestSubmitted()
    {
        await Ledger.RecordSubmissionAsync(Submission("old", ns: "ml", name: "train", submitted: T0), None);
        await Ledger.RecordSubmissionAsync(Submission("new", ns: "ml", name: "train", submitted: T0.AddDays(1)), None);
        await Ledger.RecordSubmissionAsync(Submission("middle", ns: "ml", name: "train", submitted: T0.AddHours(1)), None);
        await Ledger.RecordSubmissionAsync(Submission("elsewhere", ns: "etl", name: "train", submitted: T0.AddDays(2)), None);
        await Ledger.RecordRunStartAsync("new", T0.AddDays(1), "DE", "node-a", None);
        await Ledger.RecordPlanAsync(Plan("new", T0.AddDays(1), 123), None);
        await Ledger.RecordCompletionAsync(Completion("new", T0.AddDays(1).AddHours(1)), None);

        var found = await Ledger.FindEntryAsync("ml", "train", None);

        Assert.NotNull(found);
        Assert.Equal("new", found.Uid);
        Assert.Equal([new RecordedRun(T0.AddDays(1), T0.AddDays(1).AddHours(1), "DE", "node-a")], found.Runs);
        Assert.Equal(123, found.PlannedIntensity);
        Assert.Equal(T0.AddDays(1).AddHours(1), found.PlannedStart);
        Assert.Equal("DE", found.PlannedZone);
        Assert.Equal("completed", found.Outcome);
        Assert.Null(await Ledger.FindEntryAsync("ml", "nothing", None));
        Assert.Null(await Ledger.FindEntryAsync("other", "train", None));
    }

    [Fact]
    public async Task RecordActualsAsync_SameZoneAndTime_Replaced()
    {
        await Ledger.RecordActualsAsync([new("DE", T0, 300), new("DE", T0.AddHours(1), 310)], None);
        await Ledger.RecordActualsAsync([new("DE", T0, 305)], None);
        await Ledger.RecordActualsAsync([new("DE", T0, 305)], None);

        // Twice in one call: the last one given.
        await Ledger.RecordActualsAsync([new("FR", T0, 50), new("FR", T0, 55)], None);

        var points = await Ledger.ReadActualsAsync(["DE", "FR"], T0, T0.AddDays(1), None);
        Assert.Equal([new("DE", T0, 305), new("DE", T0.AddHours(1), 310), new IntensityPoint("FR", T0, 55)], points);
    }

    [Fact]
    public async Task ReadActualsAsync_ZonesAndPeriod_ByZoneAndTime()
    {
        await Ledger.RecordActualsAsync(
        [
            new("PL", T0.AddHours(1), 700), new("DE", T0.AddHours(2), 320), new("DE", T0, 300), new("PL", T0, 690),
            new("DE", T0.AddHours(3), 330), new("DE", T0.AddHours(-1), 290), new("FR", T0, 40),
        ], None);

        var points = await Ledger.ReadActualsAsync(["PL", "DE", "SE"], T0, T0.AddHours(3), None);

        Assert.Equal(
            [new("DE", T0, 300), new("DE", T0.AddHours(2), 320), new("PL", T0, 690), new IntensityPoint("PL", T0.AddHours(1), 700)],
            points);
    }

    [Fact]
    public async Task ReadActualsAsync_NoZones_EveryZone()
    {
        await Ledger.RecordActualsAsync([new("PL", T0, 700), new("DE", T0, 300), new("FR", T0.AddHours(-1), 40)], None);

        var points = await Ledger.ReadActualsAsync([], T0, T0.AddHours(1), None);

        Assert.Equal([new("DE", T0, 300), new IntensityPoint("PL", T0, 700)], points);
    }

    [Fact]
    public async Task RecordForecastAsync_SameIssueTwice_OneValuePerStep()
    {
        await Ledger.RecordForecastAsync(T0, [new("DE", T0.AddHours(1), 300), new("DE", T0.AddHours(2), 310)], None);
        await Ledger.RecordForecastAsync(T0, [new("DE", T0.AddHours(1), 300), new("DE", T0.AddHours(2), 310)], None);

        var points = await Ledger.ReadForecastsAsync(["DE"], T0, T0.AddDays(1), TimeSpan.Zero, None);

        Assert.Equal([new("DE", T0.AddHours(1), 300), new IntensityPoint("DE", T0.AddHours(2), 310)], points);
    }

    [Fact]
    public async Task ReadForecastsAsync_EachStep_TheLatestIssueAtLeastAheadBefore()
    {
        // Issues at 00:00, 06:00 and 12:00, each for the steps 12:00 to 18:00; their values tell them apart.
        foreach (var issuedHour in new[] { 0, 6, 12 })
        {
            await Ledger.RecordForecastAsync(
                T0.AddHours(issuedHour),
                [.. new[] { 12, 15, 18 }.Select(h => new IntensityPoint("DE", T0.AddHours(h), (issuedHour * 100) + h))],
                None);
        }

        var sixHoursAhead = await Ledger.ReadForecastsAsync(["DE"], T0, T0.AddDays(1), TimeSpan.FromHours(6), None);
        var twelveHoursAhead = await Ledger.ReadForecastsAsync(["DE"], T0, T0.AddDays(1), TimeSpan.FromHours(12), None);
        var latest = await Ledger.ReadForecastsAsync(["DE"], T0.AddHours(13), T0.AddHours(18), TimeSpan.Zero, None);

        // 12:00 six hours ahead: issued by 06:00; 15:00: by 09:00, so 06:00; 18:00: by 12:00 (at least, not more than).
        Assert.Equal([Point(12, 612), Point(15, 615), Point(18, 1218)], sixHoursAhead);
        Assert.Equal([Point(12, 12), Point(15, 15), Point(18, 618)], twelveHoursAhead);
        Assert.Equal([Point(15, 1215)], latest);
        Assert.Empty(await Ledger.ReadForecastsAsync(["DE"], T0, T0.AddDays(1), TimeSpan.FromHours(19), None));

        static IntensityPoint Point(int hour, double value) => new("DE", T0.AddHours(hour), value);
    }

    [Fact]
    public async Task ReadForecastsAsync_SeveralZones_ByZoneAndTime()
    {
        await Ledger.RecordForecastAsync(T0, [new("PL", T0.AddHours(1), 700), new("DE", T0.AddHours(2), 320), new("DE", T0.AddHours(1), 310), new("FR", T0.AddHours(1), 40)], None);

        Assert.Equal(
            [new("DE", T0.AddHours(1), 310), new("DE", T0.AddHours(2), 320), new IntensityPoint("PL", T0.AddHours(1), 700)],
            await Ledger.ReadForecastsAsync(["PL", "DE"], T0, T0.AddDays(1), TimeSpan.FromHours(1), None));
        Assert.Equal(4, (await Ledger.ReadForecastsAsync([], T0, T0.AddDays(1), TimeSpan.FromHours(1), None)).Count);
    }

    [Fact]
    public async Task ReadForecastIssuedByAsync_TheLatestIssueAtOrBeforePerZone()
    {
        await Ledger.RecordForecastAsync(T0, [new("DE", T0.AddHours(1), 100), new("DE", T0.AddHours(2), 101), new("FR", T0.AddHours(1), 10)], None);

        // DE's next issue no longer covers 01:00; FR has no issue after the first.
        await Ledger.RecordForecastAsync(T0.AddHours(1), [new("DE", T0.AddHours(2), 201), new("DE", T0.AddHours(3), 202)], None);
        await Ledger.RecordForecastAsync(T0.AddHours(5), [new("DE", T0.AddHours(6), 500)], None);

        var atOne = await Ledger.ReadForecastIssuedByAsync(["FR", "DE"], T0.AddHours(1), T0, T0.AddDays(1), None);
        var atHalfPast = await Ledger.ReadForecastIssuedByAsync(["DE"], T0.AddMinutes(30), T0, T0.AddHours(2), None);
        var everyZone = await Ledger.ReadForecastIssuedByAsync([], T0.AddHours(4), T0, T0.AddDays(1), None);

        Assert.Equal([new("DE", T0.AddHours(2), 201), new("DE", T0.AddHours(3), 202), new IntensityPoint("FR", T0.AddHours(1), 10)], atOne);
        Assert.Equal([new IntensityPoint("DE", T0.AddHours(1), 100)], atHalfPast);
        Assert.Equal(atOne, everyZone);
        Assert.Empty(await Ledger.ReadForecastIssuedByAsync(["DE"], T0.AddMinutes(-1), T0, T0.AddDays(1), None));
    }

    [Fact]
    public async Task RecordScoringSamplesAsync_SameDecisionTwice_OneSample()
    {
        var sample = Sample(T0, "pod-a", "node-a", 7);

        await Ledger.RecordScoringSamplesAsync([sample, sample], None);
        await Ledger.RecordScoringSamplesAsync([sample with { Score = 3 }], None);

        Assert.Equal([sample], await Ledger.ReadScoringSamplesAsync(T0, T0.AddHours(1), 100, None));
    }

    [Fact]
    public async Task ReadScoringSamplesAsync_PeriodTimeOrderAndLimit()
    {
        var samples = new[]
        {
            Sample(T0.AddMinutes(2), "p2", "node-a", 5),
            Sample(T0, "p0", "node-b", 9) with { Zone = null, Grams = null },
            Sample(T0.AddMinutes(1), "p1", "node-a", 4),
            Sample(T0.AddMinutes(1), "p1", "node-b", 8),
            Sample(T0.AddHours(1), "late", "node-a", 1),
            Sample(T0.AddMinutes(-1), "early", "node-a", 1),
        };
        await Ledger.RecordScoringSamplesAsync(samples, None);

        var all = await Ledger.ReadScoringSamplesAsync(T0, T0.AddHours(1), 100, None);
        var two = await Ledger.ReadScoringSamplesAsync(T0, T0.AddHours(1), 2, None);

        // Samples of the same instant stay in the order they were given.
        Assert.Equal([samples[1], samples[2], samples[3], samples[0]], all);
        Assert.Equal([samples[1], samples[2]], two);
        Assert.Empty(await Ledger.ReadScoringSamplesAsync(T0, T0.AddHours(1), 0, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.ReadScoringSamplesAsync(T0, T0.AddHours(1), -1, None));
    }

    [Fact]
    public async Task Times_AnyOffsetAndTicks_KeptInUtcToTheMicrosecond()
    {
        var local = new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var expected = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        await Ledger.RecordSubmissionAsync(Submission("u1", submitted: local), None);
        await Ledger.RecordRunStartAsync("u1", local, "DE", null, None);
        await Ledger.RecordRunEndAsync("u1", local.AddHours(1), None);
        await Ledger.RecordActualsAsync([new("DE", local, 1), new("DE", local.AddTicks(2), 2)], None);

        var entry = Assert.Single(await ReadAllAsync());
        var point = Assert.Single(await Ledger.ReadActualsAsync(["DE"], T0, T0.AddHours(1), None));

        Assert.Equal(expected, entry.Submitted);
        Assert.Equal(TimeSpan.Zero, entry.Submitted.Offset);
        Assert.Equal(new RecordedRun(expected, expected.AddHours(1), "DE"), Assert.Single(entry.Runs));
        Assert.Equal(new IntensityPoint("DE", expected, 2), point);
    }

    [Fact]
    public async Task Arguments_Invalid_AreRefused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.RecordSubmissionAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RecordSubmissionAsync(Submission(" "), None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.RecordPlanAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RecordRunStartAsync("u1", T0, "", null, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.RecordCompletionAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.RecordActualsAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RecordForecastAsync(T0, [new("", T0, 1)], None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.ReadForecastsAsync(["DE"], T0, T0.AddDays(1), TimeSpan.FromHours(-1), None));
    }

    [Fact]
    public async Task Writes_EmptyBatches_ChangeNothing()
    {
        await Ledger.RecordActualsAsync([], None);
        await Ledger.RecordForecastAsync(T0, [], None);
        await Ledger.RecordScoringSamplesAsync([], None);

        Assert.Empty(await Ledger.ReadActualsAsync([], T0.AddYears(-1), T0.AddYears(1), None));
        Assert.Empty(await Ledger.ReadForecastsAsync([], T0.AddYears(-1), T0.AddYears(1), TimeSpan.Zero, None));
        Assert.Empty(await Ledger.ReadScoringSamplesAsync(T0.AddYears(-1), T0.AddYears(1), 10, None));
    }

    [Fact]
    public async Task ReadEntriesAsync_TwentyThousandJobsWithRuns_StreamedInOrderWithTheirOwnRuns()
    {
        const int count = 20_000;
        var written = new int[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count).Reverse(),
            new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism },
            async (i, ct) =>
            {
                await WriteNumberedJobAsync(i, ct);
                written[i] = 1;
            });
        Assert.Equal(count, written.Sum());

        var read = 0;
        var runs = 0;
        await foreach (var entry in Ledger.ReadEntriesAsync(new LedgerQuery(T0, T0.AddDays(30)), None))
        {
            // Submission order then uid is the numbering itself.
            Assert.Equal($"uid-{read:D6}", entry.Uid);
            Assert.Equal(SubmittedOf(read), entry.Submitted);
            Assert.Equal(ExpectedRuns(read), entry.Runs);
            Assert.Equal(read % 3 == 0 ? null : T0.AddDays(20), entry.Completed);
            read++;
            runs += entry.Runs.Count;
        }

        Assert.Equal(count, read);
        Assert.Equal(Enumerable.Range(0, count).Sum(i => ExpectedRuns(i).Count), runs);
        var spot = await Ledger.FindEntryAsync("bulk", "job-12345", None);
        Assert.NotNull(spot);
        Assert.Equal(ExpectedRuns(12345), spot.Runs);
    }

    /// <summary>How many writes the 20,000-Job test makes at once.</summary>
    protected virtual int WriteParallelism => 1;

    /// <summary>A fresh, empty ledger.</summary>
    protected abstract Task<ILedger> CreateLedgerAsync();

    /// <summary>Every entry of March 2026.</summary>
    protected static LedgerQuery WholeMonth => new(T0.AddDays(-1), T0.AddDays(31));

    /// <summary>A submission with defaults for what the test does not care about.</summary>
    protected static LedgerSubmission Submission(string uid, string ns = "ml", string? name = null, string? team = "vision", DateTimeOffset? submitted = null) =>
        new(uid, "Job", ns, name ?? $"job-{uid}", team, submitted ?? T0, null, TimeSpan.FromHours(1), ["DE"], Deferred: true);

    /// <summary>A completion with measured energy.</summary>
    protected static LedgerCompletion Completion(string uid, DateTimeOffset at) =>
        new(uid, at, "completed", new JobEnergy(1000, 500, EnergySource.Measured), null, null);

    /// <summary>Every entry of <paramref name="query"/> (<see cref="WholeMonth"/> by default).</summary>
    protected async Task<List<LedgerEntry>> ReadAllAsync(LedgerQuery? query = null)
    {
        var entries = new List<LedgerEntry>();
        await foreach (var entry in Ledger.ReadEntriesAsync(query ?? WholeMonth, None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>
    /// Job number <paramref name="i"/> of the bulk test: <c>i % 4</c> finished runs, an open run besides for every
    /// fifth, completion for two in three (which also ends the open run).
    /// </summary>
    protected async Task WriteNumberedJobAsync(int i, CancellationToken cancellationToken)
    {
        var uid = $"uid-{i:D6}";
        await Ledger.RecordSubmissionAsync(Submission(uid, ns: "bulk", name: $"job-{i}", submitted: SubmittedOf(i)), cancellationToken);
        for (var k = 0; k < i % 4; k++)
        {
            await Ledger.RecordRunStartAsync(uid, RunStart(i, k), Zone(k), $"node-{i}-{k}", cancellationToken);
            await Ledger.RecordRunEndAsync(uid, RunStart(i, k).AddMinutes(30), cancellationToken);
        }

        if (i % 5 == 0)
        {
            await Ledger.RecordRunStartAsync(uid, RunStart(i, 9), "open", null, cancellationToken);
        }

        if (i % 3 != 0)
        {
            await Ledger.RecordCompletionAsync(Completion(uid, T0.AddDays(20)), cancellationToken);
        }
    }

    /// <summary>The runs job <paramref name="i"/> of the bulk test must have.</summary>
    protected static List<RecordedRun> ExpectedRuns(int i)
    {
        var runs = Enumerable.Range(0, i % 4).Select(k => new RecordedRun(RunStart(i, k), RunStart(i, k).AddMinutes(30), Zone(k), $"node-{i}-{k}")).ToList();
        if (i % 5 == 0 && i % 3 != 0)
        {
            runs.Add(new RecordedRun(RunStart(i, 9), T0.AddDays(20), "open"));
        }

        return runs;
    }

    // Three Jobs per second, so that the uid decides the order within each second.
    private static DateTimeOffset SubmittedOf(int i) => T0.AddSeconds(i / 3);

    private static DateTimeOffset RunStart(int i, int k) => SubmittedOf(i).AddHours(1 + k);

    private static string Zone(int k) => k % 2 == 0 ? "DE" : "FR";

    private static LedgerPlan Plan(string uid, DateTimeOffset at, double? expected) =>
        new(uid, at, at.AddHours(1), "DE", at.AddHours(4), expected, 400, "cleanest window");

    private static ScoringSample Sample(DateTimeOffset at, string pod, string node, int score) =>
        new(at, "ml", pod, node, "DE", score, 12.5, $"score {score}");

    private async Task SubmitAsync(string uid, DateTimeOffset submitted, DateTimeOffset? completed = null)
    {
        await Ledger.RecordSubmissionAsync(Submission(uid, name: uid, submitted: submitted), None);
        if (completed is { } at)
        {
            await Ledger.RecordCompletionAsync(Completion(uid, at), None);
        }
    }
}
