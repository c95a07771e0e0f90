using Scheduler.Core.Intensity;

namespace Scheduler.Core.Tests.Intensity;

public class IntensitySeriesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static IntensitySeries Hourly(params double[] values) => new(T0, TimeSpan.FromHours(1), values);

    [Fact]
    public void MeanOver_WholeSteps_IsArithmeticMean()
    {
        var series = Hourly(100, 200, 300);
        Assert.Equal(200, series.MeanOver(T0, T0.AddHours(3))!.Value, 9);
    }

    [Fact]
    public void MeanOver_PartialSteps_WeightsByOverlap()
    {
        var series = Hourly(100, 200, 300);

        // 30 min of 100, 60 min of 200, 45 min of 300 -> (50 + 200 + 225) / 2.25 h
        var mean = series.MeanOver(T0.AddMinutes(30), T0.AddMinutes(165));
        Assert.Equal(475.0 / 2.25, mean!.Value, 9);
    }

    [Fact]
    public void MeanOver_BeyondEnd_AveragesOnlyTheCoveredPart()
    {
        var series = Hourly(100, 200);
        Assert.Equal(200, series.MeanOver(T0.AddHours(1), T0.AddHours(10))!.Value, 9);
    }

    [Fact]
    public void MeanOver_NoOverlap_IsNull()
    {
        var series = Hourly(100, 200);
        Assert.Null(series.MeanOver(T0.AddHours(2), T0.AddHours(3)));
        Assert.Null(series.MeanOver(T0.AddHours(-3), T0.AddHours(-1)));
    }

    [Fact]
    public void MeanOver_EmptyInterval_IsValueInForce()
    {
        var series = Hourly(100, 200);
        Assert.Equal(200, series.MeanOver(T0.AddMinutes(90), T0.AddMinutes(90)));
    }

    [Fact]
    public void ValueAt_StepBoundaries_BelongToTheLaterStep()
    {
        var series = new IntensitySeries(T0, TimeSpan.FromMinutes(30), [10, 20]);
        Assert.Equal(10, series.ValueAt(T0));
        Assert.Equal(10, series.ValueAt(T0.AddMinutes(29)));
        Assert.Equal(20, series.ValueAt(T0.AddMinutes(30)));
        Assert.Null(series.ValueAt(T0.AddMinutes(60)));
        Assert.Equal(T0.AddMinutes(60), series.End);
    }

    [Fact]
    public void Start_WithOffset_IsStoredAsUtc()
    {
        var series = new IntensitySeries(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.FromHours(2)), TimeSpan.FromHours(1), [1]);
        Assert.Equal(TimeSpan.Zero, series.Start.Offset);
        Assert.Equal(T0, series.Start);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidValue_Throws(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => Hourly(100, bad));
        Assert.Contains("value 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoValuesOrBadStep_Throws()
    {
        Assert.Throws<ArgumentException>(() => new IntensitySeries(T0, TimeSpan.FromHours(1), []));
        Assert.Throws<ArgumentException>(() => new IntensitySeries(T0, TimeSpan.Zero, [1]));
    }
}
