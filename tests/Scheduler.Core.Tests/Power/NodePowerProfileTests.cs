using Scheduler.Core.Power;

namespace Scheduler.Core.Tests.Power;

public class NodePowerProfileTests
{
    private static readonly GpuPowerProfile H100 = new("H100-SXM", 70, 700);

    [Fact]
    public void MarginalWatts_CpuOnly_IsRequestShareOfDynamicPower()
    {
        var node = new NodePowerProfile(16, 40, 200, null, PowerSource.HardwareModel, "test");

        // 4 of 16 cores of (200 - 40) W
        Assert.Equal(40, node.MarginalWatts(4, 0), 9);
    }

    [Fact]
    public void MarginalWatts_WithGpus_AddsActiveWattsPerGpu()
    {
        var node = new NodePowerProfile(96, 60, 400, H100, PowerSource.HardwareModel, "p5");
        Assert.Equal((12 / 96.0 * 340) + (2 * 700), node.MarginalWatts(12, 2), 9);
    }

    [Fact]
    public void MarginalWatts_RequestAboveCapacity_IsCappedAtTheWholeNode()
    {
        var node = new NodePowerProfile(4, 10, 50, null, PowerSource.Default, "test");
        Assert.Equal(40, node.MarginalWatts(8, 0), 9);
    }

    [Fact]
    public void MarginalWatts_GpusOnNodeWithoutGpuModel_CountsNothingForThem()
    {
        var node = new NodePowerProfile(4, 10, 50, null, PowerSource.Default, "test");
        Assert.Equal(10, node.MarginalWatts(1, 1), 9);
    }
}
