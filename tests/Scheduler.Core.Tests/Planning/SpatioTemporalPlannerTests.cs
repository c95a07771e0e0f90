using Scheduler.Core.Intensity;
using Scheduler.Core.Planning;

namespace Scheduler.Core.Tests.Planning;

public class SpatioTemporalPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static IntensitySeries Hourly(params double[] values) => new(T0, TimeSpan.FromHours(1), values);

    [Fact]
    public void FindBest_PicksTheZoneAndStartWithTheLowestMean()
    {
        var plan = SpatioTemporalPlanner.FindBest(
            [("DE", Hourly(400, 350, 300, 380)), ("FR", Hourly(60, 40, 90, 80)), ("GB", Hourly(200, 100, 150, 300))],
            T0,
            T0.AddHours(4),
            TimeSpan.FromHours(2))!;

        Assert.Equal("FR", plan.Zone);
        Assert.Equal(T0, plan.Window.Start);
        Assert.Equal(50, plan.Window.MeanIntensityGramsPerKwh, 9);
    }

    [Fact]
    public void FindBest_EqualMeans_PreferEarlierStartThenListedZone()
    {
        var plan = SpatioTemporalPlanner.FindBest(
            [("A", Hourly(500, 100)), ("B", Hourly(100, 500)), ("C", Hourly(100, 500))],
            T0,
            T0.AddHours(2),
            TimeSpan.FromHours(1))!;

        Assert.Equal("B", plan.Zone);
        Assert.Equal(T0, plan.Window.Start);
    }

    [Fact]
    public void FindBest_JobFitsNowhere_IsNull() =>
        Assert.Null(SpatioTemporalPlanner.FindBest([("A", Hourly(1))], T0, T0.AddHours(1), TimeSpan.FromHours(2)));
}
