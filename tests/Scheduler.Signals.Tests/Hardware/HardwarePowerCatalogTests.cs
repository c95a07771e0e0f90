using Scheduler.Core.Power;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Models;

namespace Scheduler.Signals.Tests.Hardware;

public class HardwarePowerCatalogTests
{
    private static readonly HardwarePowerCatalog Catalog = HardwarePowerCatalog.Load(new ModelFiles());

    [Theory]
    [InlineData("NVIDIA-H100-80GB-HBM3", "H100-SXM")]
    [InlineData("NVIDIA-A100-SXM4-80GB", "A100-SXM4-80GB")]
    [InlineData("NVIDIA-L4", "L4")]
    [InlineData("Tesla-T4", "T4")]
    [InlineData("NVIDIA L40S", "L40S")]
    public void Describe_GpuFeatureDiscoveryProduct_FindsTheGpuModel(string label, string product)
    {
        var profile = Catalog.Describe(new NodeHardware(32, 1, null, label, null));

        Assert.Equal(product, profile.Gpu!.Product);
        Assert.Equal(PowerSource.HardwareModel, profile.Source);
        Assert.True(profile.Gpu.ActiveWatts > profile.Gpu.IdleWatts);
    }

    [Fact]
    public void Describe_GpuInstanceType_GivesCpuClassAndGpu()
    {
        var profile = Catalog.Describe(new NodeHardware(96, 8, "p4d.24xlarge", null, null));

        Assert.StartsWith("A100", profile.Gpu!.Product, StringComparison.Ordinal);
        Assert.Equal(PowerSource.HardwareModel, profile.Source);
        Assert.StartsWith("p4d.24xlarge", profile.Model, StringComparison.Ordinal);
        Assert.True(profile.CpuMaxWatts > profile.CpuIdleWatts);
    }

    [Fact]
    public void Describe_InstanceFamilyWildcard_MatchesEverySize()
    {
        var large = Catalog.Describe(new NodeHardware(2, 0, "m5.large", null, null));
        var huge = Catalog.Describe(new NodeHardware(96, 0, "m5.24xlarge", null, null));

        Assert.Equal(PowerSource.HardwareModel, large.Source);
        Assert.Equal(large.CpuMaxWatts / 2, huge.CpuMaxWatts / 96, 9);
        Assert.Null(large.Gpu);
    }

    [Fact]
    public void Describe_UnknownHardware_UsesTheDefaultModel()
    {
        var profile = Catalog.Describe(new NodeHardware(8, 2, "weird.box", "Mystery-GPU", null));

        Assert.Equal(PowerSource.Default, profile.Source);
        Assert.Equal("default", profile.Gpu!.Product);
        Assert.True(profile.CpuDynamicWatts > 0);
    }

    [Fact]
    public void Describe_ExplicitCpuClass_WinsOverInstanceType()
    {
        var byInstance = Catalog.Describe(new NodeHardware(16, 0, "m5.4xlarge", null, null));
        var explicitClass = Catalog.Describe(new NodeHardware(16, 0, "m5.4xlarge", null, "amd-epyc-gen4"));

        Assert.NotEqual(byInstance.CpuMaxWatts, explicitClass.CpuMaxWatts);
    }

    [Fact]
    public void Load_MissingDefaults_IsRejectedWithTheFileName()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "hardware-power.json"), """{"cpuClasses":[],"gpus":[],"instanceTypes":[]}""");
            var e = Assert.Throws<InvalidDataException>(() => HardwarePowerCatalog.Load(new ModelFiles(dir.FullName)));
            Assert.Contains("hardware-power.json", e.Message, StringComparison.Ordinal);
            Assert.Contains("default", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
