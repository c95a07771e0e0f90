using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Intensity;

namespace Scheduler.Core.Tests.Deferral;

public class DeferralDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly DeferralSettings Settings = new() { SafetyMargin = TimeSpan.FromMinutes(30), MinimumRun = TimeSpan.FromHours(1), MaxInterruptions = 3 };

    // 400 g all day but 100 g from 10:00 to 12:00.
    private static readonly List<(string Zone, IntensitySeries Forecast)> CleanAtTen = [("DE", Hourly(h => h is 10 or 11 ? 100 : 400))];

    [Fact]
    public void Decide_NoDeferralAnnotations_LeavesTheJobAlone()
    {
        var action = DeferralDecider.Decide(Job([]), T0, CleanAtTen, Settings);

        Assert.IsType<DeferralAction.Keep>(action);
    }

    [Fact]
    public void Decide_InvalidAnnotations_ReportsThemOnce()
    {
        var annotations = new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "soon" };

        var first = DeferralDecider.Decide(Job(annotations), T0, CleanAtTen, Settings);
        annotations[CarbonAnnotations.Reason] = DeferralDecider.InvalidReasonPrefix + "...";
        var again = DeferralDecider.Decide(Job(annotations), T0, CleanAtTen, Settings);

        Assert.Contains("carbon-aware.io/max-delay", Assert.Single(Assert.IsType<DeferralAction.ReportInvalid>(first).Errors), StringComparison.Ordinal);
        Assert.IsType<DeferralAction.Keep>(again);
    }

    [Fact]
    public void Decide_DryRun_RecordsThePlanOnceAndNeverHolds()
    {
        var annotations = Request(deadlineHour: 18);

        var first = DeferralDecider.Decide(Job(annotations, suspended: false, dryRun: true), T0, CleanAtTen, Settings);
        annotations[CarbonAnnotations.DryRunPlan] = "recorded";
        var again = DeferralDecider.Decide(Job(annotations, suspended: false, dryRun: true), T0, CleanAtTen, Settings);

        Assert.Equal(T0.AddHours(10), Assert.IsType<DeferralAction.RecordDryRun>(first).Plan.Start);
        Assert.IsType<DeferralAction.Keep>(again);
    }

    [Fact]
    public void Decide_HeldAtAdmission_PlansTheCleanWindow()
    {
        var action = DeferralDecider.Decide(Job(Held(Request(18))), T0, CleanAtTen, Settings);

        var hold = Assert.IsType<DeferralAction.Hold>(action);
        Assert.Equal(T0.AddHours(10), hold.Record.Plan!.Start);
        Assert.Equal(DeferralState.Held, hold.Record.State);
    }

    [Fact]
    public void Decide_AtThePlannedStart_ReleasesInThePlannedZone()
    {
        var annotations = Planned(Request(18), T0);

        var action = DeferralDecider.Decide(Job(annotations), T0.AddHours(10), CleanAtTen, Settings);

        var release = Assert.IsType<DeferralAction.Release>(action);
        Assert.Equal(DeferralState.Released, release.Record.State);
        Assert.Equal("DE", release.Record.Plan!.Zone);
        Assert.Equal(T0.AddHours(10), release.Record.Plan.Start);
    }

    [Fact]
    public void Decide_BeforeTheStartWithTheSameForecast_KeepsThePlan()
    {
        var action = DeferralDecider.Decide(Job(Planned(Request(18), T0)), T0.AddHours(3), CleanAtTen, Settings);

        Assert.IsType<DeferralAction.Keep>(action);
    }

    [Fact]
    public void Decide_NewForecastWithACleanerHour_MovesTheHold()
    {
        List<(string Zone, IntensitySeries Forecast)> cleanAtSix = [("DE", Hourly(h => h == 6 ? 20 : h is 10 or 11 ? 100 : 400))];

        var action = DeferralDecider.Decide(Job(Planned(Request(18, hours: 1), T0)), T0.AddHours(3), cleanAtSix, Settings);

        var hold = Assert.IsType<DeferralAction.Hold>(action);
        Assert.True(hold.Moved);
        Assert.Equal(T0.AddHours(6), hold.Record.Plan!.Start);
    }

    [Fact]
    public void Decide_ProvidersDown_KeepsThePlanUntilTheLatestSafeStartThenReleases()
    {
        var annotations = Planned(Request(18), T0);
        var latest = DeferralRecord.Read(annotations).Plan!.LatestStart;

        var before = DeferralDecider.Decide(Job(annotations), T0.AddHours(3), [], Settings);
        var atLatest = DeferralDecider.Decide(Job(annotations), latest, [], Settings);

        Assert.IsType<DeferralAction.Keep>(before);
        Assert.IsType<DeferralAction.Release>(atLatest);
    }

    [Fact]
    public void Decide_HeldJobUnsuspendedByHand_IsMarkedReleased()
    {
        var action = DeferralDecider.Decide(Job(Planned(Request(18), T0), suspended: false), T0.AddHours(1), CleanAtTen, Settings);

        Assert.IsType<DeferralAction.MarkReleased>(action);
    }

    [Fact]
    public void Decide_ReleaseNowAdded_ReleasesAtOnce()
    {
        var annotations = Planned(Request(18), T0);
        annotations[CarbonAnnotations.ReleaseNow] = "true";

        var action = DeferralDecider.Decide(Job(annotations), T0.AddHours(1), CleanAtTen, Settings);

        Assert.Equal(T0.AddHours(1), Assert.IsType<DeferralAction.Release>(action).Record.Plan!.Start);
    }

    [Fact]
    public void Decide_AnnotationsEditedIntoNonsense_ReleasesRatherThanGuess()
    {
        var annotations = Planned(Request(18), T0);
        annotations[CarbonAnnotations.Deadline] = "whenever";

        var action = DeferralDecider.Decide(Job(annotations), T0.AddHours(1), CleanAtTen, Settings);

        Assert.Contains("no longer valid", Assert.IsType<DeferralAction.Release>(action).Record.Plan!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DeadlineBroughtForward_MovesThePlanBeforeIt()
    {
        var annotations = Planned(Request(18), T0);
        annotations[CarbonAnnotations.Deadline] = "2026-11-24T08:00:00Z";

        var action = DeferralDecider.Decide(Job(annotations), T0.AddHours(1), CleanAtTen, Settings);

        var plan = action switch
        {
            DeferralAction.Hold hold => hold.Record.Plan!,
            DeferralAction.Release release => release.Record.Plan!,
            _ => throw new InvalidOperationException(action.ToString()),
        };
        Assert.True(plan.Runs[^1].End <= T0.AddHours(7.5));
    }

    [Fact]
    public void Decide_FinishedJobWeHeld_IsComplete()
    {
        var action = DeferralDecider.Decide(Job(Planned(Request(18), T0)) with { Finished = true }, T0.AddHours(13), CleanAtTen, Settings);

        Assert.IsType<DeferralAction.Complete>(action);
    }

    [Fact]
    public void Decide_InterruptibleAtTheEndOfAStretch_PausesUntilTheNext()
    {
        // Clean at 2:00 and 8:00 only: a 2 h interruptible job runs 2-3, pauses, runs 8-9.
        List<(string Zone, IntensitySeries Forecast)> zones = [("DE", Hourly(h => h is 2 or 8 ? 50 : 400))];
        var annotations = Request(18, hours: 2);
        annotations[CarbonAnnotations.Interruptible] = "true";
        var hold = Assert.IsType<DeferralAction.Hold>(DeferralDecider.Decide(Job(Held(annotations)), T0, zones, Settings));
        Assert.Equal([2, 8], hold.Record.Plan!.Runs.Select(r => (int)(r.Start - T0).TotalHours));

        var release = Assert.IsType<DeferralAction.Release>(DeferralDecider.Decide(Job(With(annotations, hold.Record)), T0.AddHours(2), zones, Settings));
        var pause = Assert.IsType<DeferralAction.Pause>(DeferralDecider.Decide(Job(With(annotations, release.Record), suspended: false), T0.AddHours(3), zones, Settings));
        var resume = Assert.IsType<DeferralAction.Release>(DeferralDecider.Decide(Job(With(annotations, pause.Record)), T0.AddHours(8), zones, Settings));

        Assert.Equal(TimeSpan.FromHours(1), pause.Record.Ran);
        Assert.Equal(1, pause.Record.Interruptions);
        Assert.Equal(T0.AddHours(8), pause.Record.Plan!.Start);
        Assert.Equal(TimeSpan.FromHours(1), resume.Record.Plan!.Runs.Sum(r => r.Length.TotalHours) * TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decide_ControllerLoopWithLostWakeUps_NeverMissesADeadline(int seed)
    {
        // Many Jobs, random forecasts that change at every look, wake-ups at random times of which
        // half are lost, plus the two the controller always keeps (the planned start and the latest
        // safe start, as Quartz and the in-process guard do): every Job must finish by its deadline.
        var random = new Random(seed);
        for (var j = 0; j < 60; j++)
        {
            var duration = TimeSpan.FromMinutes(random.Next(20, 8 * 60));
            var deadline = T0 + duration + TimeSpan.FromMinutes(random.Next(45, 30 * 60));
            var annotations = new Dictionary<string, string>
            {
                [CarbonAnnotations.Deadline] = deadline.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                [CarbonAnnotations.Duration] = $"{(int)duration.TotalMinutes}m",
                [CarbonAnnotations.Interruptible] = random.Next(2) == 0 ? "true" : "false",
                [CarbonAnnotations.State] = "held",
            };
            var suspended = true;
            var ran = TimeSpan.Zero;
            var now = T0;
            var wakeUps = new SortedSet<DateTimeOffset> { T0 };
            var finishedAt = (DateTimeOffset?)null;
            while (finishedAt is null && wakeUps.Count > 0 && now < T0.AddDays(3))
            {
                var next = wakeUps.Min;
                wakeUps.Remove(next);

                // Time passes: a running Job works, and may finish before the next wake-up.
                if (!suspended && ran + (next - now) >= duration)
                {
                    finishedAt = now + (duration - ran);
                    break;
                }

                ran += suspended ? TimeSpan.Zero : next - now;
                now = next;
                var forecast = new IntensitySeries(T0, TimeSpan.FromMinutes(30), Enumerable.Range(0, 200).Select(_ => 50 + (400 * random.NextDouble())).ToArray());
                var action = DeferralDecider.Decide(new JobView(T0, annotations, suspended, false, false), now, [("DE", forecast)], Settings);
                DeferralRecord? record = null;
                switch (action)
                {
                    case DeferralAction.Hold hold:
                        record = hold.Record;
                        break;
                    case DeferralAction.Release release:
                        record = release.Record;
                        suspended = false;
                        break;
                    case DeferralAction.Pause pause:
                        record = pause.Record;
                        suspended = true;
                        break;
                }

                if (record is not null)
                {
                    foreach (var (key, value) in record.ToAnnotations())
                    {
                        if (value is null)
                        {
                            annotations.Remove(key);
                        }
                        else
                        {
                            annotations[key] = value;
                        }
                    }

                    // The wake-ups the controller schedules and keeps.
                    foreach (var wakeUp in record.WakeUps())
                    {
                        wakeUps.Add(wakeUp > now ? wakeUp : now.AddMinutes(1));
                    }
                }

                // Random looks, half of them lost.
                var look = now.AddMinutes(random.Next(5, 90));
                if (random.Next(2) == 0)
                {
                    wakeUps.Add(look);
                }

                if (!suspended)
                {
                    wakeUps.Add(now + (duration - ran));
                }
            }

            Assert.True(finishedAt is not null, $"job {j} never finished");
            Assert.True(finishedAt <= deadline, $"job {j} ({duration}, interruptible {annotations[CarbonAnnotations.Interruptible]}) finished at {finishedAt:O}, after its deadline {deadline:O}");
        }
    }

    private static JobView Job(Dictionary<string, string> annotations, bool suspended = true, bool dryRun = false) =>
        new(T0, annotations, suspended, Finished: false, dryRun);

    private static IntensitySeries Hourly(Func<int, double> gramsPerKwh) =>
        new(T0, TimeSpan.FromHours(1), Enumerable.Range(0, 48).Select(gramsPerKwh).ToArray());

    private static Dictionary<string, string> Request(int deadlineHour, int hours = 2) => new()
    {
        [CarbonAnnotations.Deadline] = T0.AddHours(deadlineHour).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        [CarbonAnnotations.Duration] = $"{hours}h",
    };

    private static Dictionary<string, string> Held(Dictionary<string, string> annotations)
    {
        annotations[CarbonAnnotations.State] = "held";
        return annotations;
    }

    private static Dictionary<string, string> Planned(Dictionary<string, string> annotations, DateTimeOffset at)
    {
        var hold = Assert.IsType<DeferralAction.Hold>(DeferralDecider.Decide(Job(Held(annotations)), at, CleanAtTen, Settings));
        return With(annotations, hold.Record);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> annotations, DeferralRecord record)
    {
        var result = new Dictionary<string, string>(annotations);
        foreach (var (key, value) in record.ToAnnotations())
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = value;
            }
        }

        return result;
    }
}
