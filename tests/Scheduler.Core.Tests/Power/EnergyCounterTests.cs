using Scheduler.Core.Power;

namespace Scheduler.Core.Tests.Power;

public class EnergyCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly CounterRules NoWrap = new(null, 1_000);

    [Fact]
    public void Increase_SteadyCounter_IsLastMinusFirst()
    {
        var result = EnergyCounter.Increase(Samples(100, 200, 350, 500), NoWrap);

        Assert.Equal(400, result.Joules, 9);
        Assert.Equal(30, result.Seconds, 9);
        Assert.Equal(400 / 30.0, result.MeanWatts!.Value, 9);
        Assert.True(result.IsMeasured);
    }

    [Fact]
    public void Increase_RaplWrap_UnwrapsWithoutLosingEnergy()
    {
        // 100 W for 10 s steps on a counter of range 2,500 J: 2,300 -> 3,300 wraps to 800.
        var rules = new CounterRules(2_500, 1_000);
        var result = EnergyCounter.Increase(Samples(1_300, 2_300, 800, 1_800), rules);

        Assert.Equal(3_000, result.Joules, 9);
        Assert.Equal(1, result.Wraps);
        Assert.Equal(0, result.Resets);
        Assert.True(result.IsMeasured);
    }

    [Fact]
    public void Increase_DropWithoutWrapRange_IsARestartCountedFromZero()
    {
        // 10 W throughout: the exporter restarted between the 2nd and 3rd sample and had counted 40 J since.
        var result = EnergyCounter.Increase(Samples(1_000, 1_100, 40, 140), NoWrap);

        Assert.Equal(1, result.Resets);
        Assert.Equal(100 + 40 + 100, result.MeasuredJoules, 9);

        // The 60 J the restarted counter never saw are filled from the power of the steps around the gap.
        Assert.Equal(60, result.EstimatedJoules, 9);
        Assert.Equal(300, result.Joules, 9);
        Assert.False(result.IsMeasured);
    }

    [Fact]
    public void Increase_GapAfterARestart_IsFilledFromThePowerAroundItNotTheRunsMean()
    {
        // 10 W, a restart, 10 W, then the load stops: the flat tail must not dilute the gap's estimate.
        var result = EnergyCounter.Increase(Samples(1_000, 1_100, 40, 140, 140, 140, 140), NoWrap);

        Assert.Equal(60, result.EstimatedJoules, 9);
    }

    [Fact]
    public void Increase_DropTooLargeToBeAWrap_IsARestart()
    {
        // Range 2,500, but unwrapping 2,300 -> 50 would mean 250 J in 10 s at most 20 W: not a wrap.
        var rules = new CounterRules(2_500, 20);
        var result = EnergyCounter.Increase(Samples(2_100, 2_300, 50, 250), rules);

        Assert.Equal(0, result.Wraps);
        Assert.Equal(1, result.Resets);
        Assert.Equal(200 + 50 + 200, result.MeasuredJoules, 9);
    }

    [Fact]
    public void Increase_OneSampleSpike_IsDroppedNotCountedTwice()
    {
        var result = EnergyCounter.Increase(Samples(100, 200, 9_000_000, 400, 500), NoWrap);

        Assert.Equal(400, result.Joules, 9);
        Assert.Equal(1, result.Glitches);
        Assert.Equal(0, result.Resets);
    }

    [Fact]
    public void Increase_PersistentJump_KeepsTheNewLevelButNotTheJump()
    {
        var result = EnergyCounter.Increase(Samples(100, 200, 9_000_000, 9_000_100, 9_000_200), NoWrap);

        Assert.Equal(100 + 100 + 100, result.Joules, 9);
        Assert.Equal(1, result.Glitches);
    }

    [Fact]
    public void Increase_SpikeAtTheEnd_IsDropped()
    {
        var result = EnergyCounter.Increase(Samples(100, 200, 9_000_000), NoWrap);

        Assert.Equal(100, result.Joules, 9);
        Assert.Equal(1, result.Glitches);
    }

    [Fact]
    public void Increase_CountsFromZero_IncludesTheFirstValue()
    {
        var result = EnergyCounter.Increase(Samples(30, 130, 230), NoWrap, countsFromZero: true);

        Assert.Equal(230, result.Joules, 9);
    }

    [Fact]
    public void Increase_NoSamples_IsNothing()
    {
        var result = EnergyCounter.Increase([], NoWrap);

        Assert.Equal(0, result.Joules);
        Assert.Null(result.MeanWatts);
    }

    [Fact]
    public void Increase_OneSample_SpansNoTime()
    {
        var result = EnergyCounter.Increase(Samples(500), NoWrap);

        Assert.Equal(0, result.Joules);
        Assert.Null(result.MeanWatts);
    }

    // Samples 10 s apart.
    private static CounterSample[] Samples(params double[] joules) =>
        joules.Select((j, i) => new CounterSample(T0.AddSeconds(10 * i), j)).ToArray();
}
