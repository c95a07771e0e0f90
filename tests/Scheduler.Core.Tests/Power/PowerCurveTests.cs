using Scheduler.Core.Power;

namespace Scheduler.Core.Tests.Power;

public class PowerCurveTests
{
    [Fact]
    public void Line_RunsFromIdleToMax()
    {
        var curve = PowerCurve.Line(50, 250);

        Assert.Equal(50, curve.WattsAt(0), 9);
        Assert.Equal(150, curve.WattsAt(0.5), 9);
        Assert.Equal(250, curve.MaxWatts, 9);
    }

    [Fact]
    public void WattsAt_OutsideZeroToOne_IsClamped()
    {
        var curve = new PowerCurve(50, 100, 100);

        Assert.Equal(50, curve.WattsAt(-1), 9);
        Assert.Equal(250, curve.WattsAt(3), 9);
    }

    [Fact]
    public void Added_OnAConvexCurve_DependsOnWhereTheNodeRuns()
    {
        // 50 + 100u²: a quarter of the node adds 6.25 W when idle but 31.25 W when half busy.
        var curve = new PowerCurve(50, 0, 100);

        Assert.Equal(6.25, curve.Added(0, 0.25), 9);
        Assert.Equal(31.25, curve.Added(0.5, 0.25), 9);

        // A node cannot run past full load: the share is cut at u = 1.
        Assert.Equal(43.75, curve.Added(0.75, 0.5), 9);
    }

    [Fact]
    public void MarginalWatts_WithCurve_UsesTheCurveFromTheCurrentUtilisation()
    {
        var node = new NodePowerProfile(16, 50, 150, null, PowerSource.Measured, "kepler")
        {
            CpuCurve = new PowerCurve(50, 0, 100),
            CpuUtilisation = 0.5,
        };

        // 4 of 16 cores from u = 0.5: 100·(0.75² − 0.5²).
        Assert.Equal(31.25, node.MarginalWatts(4, 0), 9);
    }
}
