using System.Text.Json;
using Scheduler.Core.Accounting;
using Scheduler.Core.Power;
using Scheduler.Signals.Hardware;
using Scheduler.Signals.Models;
using Scheduler.Tests.Shared;

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

    [Theory]
    [InlineData("m5.large")]
    [InlineData("m5.24xlarge")]
    [InlineData("M5.Metal")]
    public void DescribeEmbodied_M5Member_GivesTheCcfHostTotal(string instanceType)
    {
        var embodied = Catalog.DescribeEmbodied(new NodeHardware(2, 0, instanceType, null, null));

        Assert.NotNull(embodied);
        Assert.Equal(1610.79, embodied.TotalKgCo2e);
        Assert.Equal(96, embodied.PlatformVcpus);
        Assert.Equal(0, embodied.PlatformGpus);
        Assert.Equal(TimeSpan.FromDays(4 * 365.25), embodied.Lifespan);
        Assert.Equal("m5.*", embodied.Model);
    }

    [Fact]
    public void DescribeEmbodied_GpuInstanceType_GivesTheHostTotalAndItsGpus()
    {
        var embodied = Catalog.DescribeEmbodied(new NodeHardware(32, 4, "p3.8xlarge", null, null));

        Assert.NotNull(embodied);
        Assert.Equal(3543.79, embodied.TotalKgCo2e);
        Assert.Equal(72, embodied.PlatformVcpus);
        Assert.Equal(8, embodied.PlatformGpus);
    }

    [Fact]
    public void DescribeEmbodied_ExactEntry_WinsOverTheFamily()
    {
        // c5.24xlarge runs on a 96-vCPU Cascade Lake host, the rest of c5.* on a 72-vCPU Skylake host.
        var skylake = Catalog.DescribeEmbodied(new NodeHardware(2, 0, "c5.large", null, null));
        var cascadeLake = Catalog.DescribeEmbodied(new NodeHardware(96, 0, "c5.24xlarge", null, null));

        Assert.Equal(72, skylake!.PlatformVcpus);
        Assert.Equal(96, cascadeLake!.PlatformVcpus);
        Assert.Equal(skylake.TotalKgCo2e, cascadeLake.TotalKgCo2e);
    }

    [Theory]
    [InlineData("weird.box")]
    [InlineData("m7i.large")]
    [InlineData("Standard_D8s_v5")]
    [InlineData(null)]
    public void DescribeEmbodied_UnknownOrUncoveredInstanceType_IsNull(string? instanceType)
    {
        // m7i and Dsv5 are in the power model but CCF has no embodied figure for them: unknown, not zero.
        Assert.Null(Catalog.DescribeEmbodied(new NodeHardware(8, 0, instanceType, null, null)));
    }

    [Fact]
    public void DescribeEmbodied_PodOnAnM5Node_IsTheSciShareOfTheHost()
    {
        var embodied = Catalog.DescribeEmbodied(new NodeHardware(8, 0, "m5.2xlarge", null, null))!;

        // 1,610,790 g x 2 h / 35,064 h x 8/96 vCPUs.
        Assert.Equal(268_465.0 / 35_064, embodied.GramsFor(8, 0, TimeSpan.FromHours(2)), 9);
    }

    [Fact]
    public void ShippedModels_EveryEmbodiedFigure_HasASourceAndAFourYearLife()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRepository("models", HardwarePowerCatalog.FileName)));
        var embodied = json.RootElement.GetProperty("instanceTypes").EnumerateArray()
            .Where(i => i.TryGetProperty("embodied", out _))
            .Select(i => (Name: i.GetProperty("name").GetString(), Embodied: i.GetProperty("embodied")))
            .ToList();

        Assert.NotEmpty(embodied);
        Assert.All(embodied, e =>
        {
            Assert.StartsWith("cloud-carbon-footprint/cloud-carbon-coefficients@", e.Embodied.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Equal(4, e.Embodied.GetProperty("lifespanYears").GetDouble());
        });
    }

    [Fact]
    public void Load_EmbodiedFiguresNotPositive_AreRejectedOneByOne()
    {
        var e = LoadInvalid("""
            {"name":"x1.*","embodied":{"totalKgCo2e":0,"platformVcpus":-4,"platformGpus":0,"lifespanYears":0,"source":"test"}}
            """);

        Assert.Contains("hardware-power.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("instance type x1.*: embodied.totalKgCo2e must be a positive number", e.Message, StringComparison.Ordinal);
        Assert.Contains("instance type x1.*: embodied.platformVcpus must be positive (was -4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("instance type x1.*: embodied.platformGpus must be positive when given", e.Message, StringComparison.Ordinal);
        Assert.Contains("instance type x1.*: embodied.lifespanYears must be greater than 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GpuInstanceTypeWithoutPlatformGpus_IsRejected()
    {
        var e = LoadInvalid("""
            {"name":"p9.large","gpu":"default","gpuCount":4,"embodied":{"totalKgCo2e":3000,"platformVcpus":96,"lifespanYears":4}}
            """);

        Assert.Contains("instance type p9.large: has 4 GPUs, so embodied.platformGpus must be at least 4 (was missing)", e.Message, StringComparison.Ordinal);
    }

    private static InvalidDataException LoadInvalid(string instanceType)
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var document = $$"""
                {"cpuClasses":[{"id":"default","idleWattsPerVcpu":0.74,"maxWattsPerVcpu":3.5}],
                 "gpus":[{"product":"default","idleWatts":35,"activeWatts":300,"tdpWatts":300}],
                 "instanceTypes":[{{instanceType}}]}
                """;
            File.WriteAllText(Path.Combine(dir.FullName, HardwarePowerCatalog.FileName), document);
            return Assert.Throws<InvalidDataException>(() => HardwarePowerCatalog.Load(new ModelFiles(dir.FullName)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
