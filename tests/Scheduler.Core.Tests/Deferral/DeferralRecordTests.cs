using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Tests.Deferral;

public class DeferralRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToAnnotations_ThenRead_GivesTheSameRecord()
    {
        var plan = new DeferralPlan("FR", [new RunChunk(T0, T0.AddHours(1)), new RunChunk(T0.AddHours(3), T0.AddHours(4.5))], T0.AddHours(20), 42.125, 310, "held until ...");
        var record = new DeferralRecord(DeferralState.Paused, plan, TimeSpan.FromMinutes(61));

        var annotations = record.ToAnnotations();
        var read = DeferralRecord.Read(annotations.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!));

        Assert.Equal(DeferralState.Paused, read.State);
        Assert.Equal(TimeSpan.FromMinutes(61), read.Ran);
        Assert.Equal("FR", read.Plan!.Zone);
        Assert.Equal(plan.Runs, read.Plan.Runs);
        Assert.Equal(plan.LatestStart, read.Plan.LatestStart);
        Assert.Equal(42.125, read.Plan.ExpectedIntensity);
        Assert.Equal(310, read.Plan.BaselineIntensity);
        Assert.Equal("2026-11-24T10:00:00Z", annotations[CarbonAnnotations.PlannedStart]);
        Assert.Equal("held", new DeferralRecord(DeferralState.Held, plan, TimeSpan.Zero).ToAnnotations()[CarbonAnnotations.State]);
    }

    [Fact]
    public void Read_NoState_IsNotOurs()
    {
        Assert.Equal(DeferralState.None, DeferralRecord.Read(new Dictionary<string, string> { [CarbonAnnotations.Deadline] = "x" }).State);
        Assert.Equal(DeferralState.None, DeferralRecord.Read(null).State);
    }

    [Fact]
    public void Read_EditedByHandIntoNonsense_KeepsTheStateAndDropsThePlan()
    {
        var read = DeferralRecord.Read(new Dictionary<string, string>
        {
            [CarbonAnnotations.State] = "held",
            [DeferralRecord.RunsAnnotation] = "soon/later",
            [CarbonAnnotations.LatestStart] = "2026-11-24T10:00:00Z",
        });

        Assert.Equal(DeferralState.Held, read.State);
        Assert.Null(read.Plan);
    }
}
