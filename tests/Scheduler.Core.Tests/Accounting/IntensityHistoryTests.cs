using Scheduler.Core.Accounting;

namespace Scheduler.Core.Tests.Accounting;

public class IntensityHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_MissingStep_CarriesThePreviousValueAndCountsIt()
    {
        var history = IntensityHistory.From(
        [
            new IntensityPoint("A", T0.AddMinutes(90), 300),
            new IntensityPoint("A", T0, 100),
            new IntensityPoint("A", T0.AddMinutes(30), 200),
            new IntensityPoint("B", T0, 50),
        ]);

        var a = history.Series["A"];
        Assert.Equal(TimeSpan.FromMinutes(30), a.Step);
        Assert.Equal(T0, a.Start);
        Assert.Equal([100, 200, 200, 300], a.Values.ToArray());
        Assert.Equal(1, history.FilledSteps["A"]);
        Assert.Equal([50], history.Series["B"].Values.ToArray());
        Assert.Equal(TimeSpan.FromHours(1), history.Series["B"].Step);
        Assert.Equal(0, history.FilledSteps["B"]);
    }

    [Fact]
    public void From_SameTimeTwice_KeepsTheLastValue()
    {
        var history = IntensityHistory.From([new IntensityPoint("A", T0, 100), new IntensityPoint("A", T0, 120), new IntensityPoint("A", T0.AddHours(1), 90)]);

        Assert.Equal([120, 90], history.Series["A"].Values.ToArray());
    }
}
