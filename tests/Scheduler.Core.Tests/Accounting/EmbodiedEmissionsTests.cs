using Scheduler.Core.Accounting;

namespace Scheduler.Core.Tests.Accounting;

public class EmbodiedEmissionsTests
{
    private static readonly TimeSpan FourYears = EmbodiedEmissions.Lifespan(4);

    [Fact]
    public void Lifespan_FourYears_Is1461DaysOf24Hours()
    {
        Assert.Equal(TimeSpan.FromDays(1461), FourYears);
        Assert.Equal(35_064, FourYears.TotalHours);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.Lifespan(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.Lifespan(double.NaN));
    }

    [Fact]
    public void ForPod_EightOfNinetySixVcpusForTwoHours_IsTheCcfShare()
    {
        // An m5 host: 1610.79 kg over 4 years of 365.25 days = 35,064 h; 8 of its 96 vCPUs for 2 h:
        // 1,610,790 g x 2/35,064 x 8/96 = 268,465/35,064 g = 7.656428245... g.
        var grams = EmbodiedEmissions.ForPod(1610.79, 96, FourYears, 8, TimeSpan.FromHours(2));

        Assert.Equal(268_465.0 / 35_064, grams, 9);
        Assert.Equal(7.656428, grams, 6);
    }

    [Fact]
    public void ForPod_MoreVcpusThanTheHost_IsCappedAtTheWholeHost()
    {
        var grams = EmbodiedEmissions.ForPod(1610.79, 96, FourYears, 200, TimeSpan.FromHours(1));

        Assert.Equal(1_610_790 / 35_064.0, grams, 9);
    }

    [Fact]
    public void ForPod_GpuShareLargerThanCpuShare_TakesTheGpuShare()
    {
        // A p3 host: 3543.79 kg, 72 vCPUs, 8 GPUs. 4 vCPUs (1/18) and 4 GPUs (1/2) for 1 h: the GPU half counts.
        // 3,543,790 g x 1/35,064 x 1/2 = 1,771,895/35,064 g = 50.533168... g.
        var grams = EmbodiedEmissions.ForPod(3543.79, 72, FourYears, 4, TimeSpan.FromHours(1), requestedGpus: 4, platformGpus: 8);

        Assert.Equal(1_771_895.0 / 35_064, grams, 9);
    }

    [Fact]
    public void ForPod_CpuShareLargerThanGpuShare_TakesTheCpuShare()
    {
        // 64 of 72 vCPUs beats 1 of 8 GPUs.
        var grams = EmbodiedEmissions.ForPod(3543.79, 72, FourYears, 64, TimeSpan.FromHours(1), requestedGpus: 1, platformGpus: 8);

        Assert.Equal(3_543_790 / 35_064.0 * 64 / 72, grams, 9);
    }

    [Fact]
    public void ForPod_GpusOnAHostWithoutGpus_UsesTheCpuShare()
    {
        var withGpus = EmbodiedEmissions.ForPod(1610.79, 96, FourYears, 8, TimeSpan.FromHours(2), requestedGpus: 2);
        var without = EmbodiedEmissions.ForPod(1610.79, 96, FourYears, 8, TimeSpan.FromHours(2));

        Assert.Equal(without, withGpus);
    }

    [Fact]
    public void ForPod_BadFigures_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.ForPod(1610.79, 0, FourYears, 8, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.ForPod(1610.79, 96, FourYears, -1, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.ForPod(1610.79, 96, TimeSpan.Zero, 8, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.ForPod(-1, 96, FourYears, 8, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbodiedEmissions.ForPod(1610.79, 96, FourYears, 8, TimeSpan.FromHours(1), requestedGpus: -1, platformGpus: 8));
    }
}
