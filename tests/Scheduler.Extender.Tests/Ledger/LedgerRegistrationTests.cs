using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Accounting;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Ledger;

/// <summary>The deferral controller's ledger ports as the service registers them.</summary>
public class LedgerRegistrationTests
{
    [Fact]
    public async Task Services_JobLedgerAndEnergyMeter_AreTheWriterAndAMeterOfTheNodeCache()
    {
        await using var server = await ExtenderServer.StartAsync();

        Assert.Same(server.Services.GetRequiredService<BufferedLedgerWriter>(), server.Services.GetRequiredService<IJobLedger>());
        var meter = Assert.IsType<JobEnergyMeter>(server.Services.GetRequiredService<IJobEnergyMeter>());

        // de-1 of the inventory file is an m5.4xlarge (16 vCPUs of intel-skylake, 0.61 to 4.1 W each); no Kepler.
        var at = ExtenderServer.Now.AddHours(-2);
        var metered = await meter.MeasureAsync(new FinishedWorkload("ml", "train", [new WorkloadPod("train-0", "de-1", 4, 0, at, null)], at, at.AddHours(1)), default);

        // 4 x 3.49 W x 3,600 s; 1,610,790 g x 3,600 s / 126,230,400 s x 4/96.
        Assert.Equal(EnergySource.Estimated, metered!.Energy.Source);
        Assert.Equal(50_256, metered.Energy.CpuJoules, 1e-6);
        Assert.Equal(0, metered.Energy.GpuJoules);
        Assert.Equal(1.914107, metered.EmbodiedGrams!.Value, 1e-6);
    }
}
