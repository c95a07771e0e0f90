using Scheduler.Core.Pods;
using Scheduler.Core.Scoring;

namespace Scheduler.Core.Tests.Pods;

public class PodDemandReaderTests
{
    private static readonly PodDemandReader Reader = new(new ScoringOptions());

    private static ContainerResources Container(string? cpuRequest = null, string? cpuLimit = null, string? gpus = null, string gpuResource = "nvidia.com/gpu")
    {
        var requests = new Dictionary<string, string>();
        var limits = new Dictionary<string, string>();
        if (cpuRequest is not null)
        {
            requests["cpu"] = cpuRequest;
        }

        if (cpuLimit is not null)
        {
            limits["cpu"] = cpuLimit;
        }

        if (gpus is not null)
        {
            limits[gpuResource] = gpus;
        }

        return new ContainerResources(requests, limits);
    }

    private static PodFacts Pod(
        IReadOnlyList<ContainerResources> containers,
        IReadOnlyList<ContainerResources>? init = null,
        Dictionary<string, string>? annotations = null,
        Dictionary<string, string>? overhead = null) =>
        new("p", "ns", annotations ?? [], containers, init ?? [], overhead ?? []);

    [Fact]
    public void Read_Containers_SumsRequestsAndLimitOnlyContainers()
    {
        var demand = Reader.Read(Pod([Container("500m"), Container(cpuLimit: "2"), Container("1", "4")]));
        Assert.Equal(3.5, demand.CpuCores, 9);
    }

    [Fact]
    public void Read_InitContainerLargerThanSum_Wins()
    {
        var demand = Reader.Read(Pod([Container("1")], init: [Container("3"), Container("2")]));
        Assert.Equal(3, demand.CpuCores, 9);
    }

    [Fact]
    public void Read_Overhead_IsAdded()
    {
        var demand = Reader.Read(Pod([Container("1")], overhead: new() { ["cpu"] = "250m" }));
        Assert.Equal(1.25, demand.CpuCores, 9);
    }

    [Fact]
    public void Read_GpuResourcesOfEveryVendor_AreCounted()
    {
        var demand = Reader.Read(Pod([Container("1", gpus: "2"), Container("1", gpus: "1", gpuResource: "amd.com/gpu"), Container("1", gpus: "5", gpuResource: "example.com/fpga")]));
        Assert.Equal(3, demand.Gpus, 9);
    }

    [Fact]
    public void Read_Annotations_DurationAndCap()
    {
        var demand = Reader.Read(Pod([], annotations: new() { ["carbon-aware.io/duration"] = "2h30m", ["carbon-aware.io/max-intensity"] = "180.5" }));
        Assert.Equal(TimeSpan.FromMinutes(150), demand.Duration);
        Assert.Equal(180.5, demand.MaxIntensityGramsPerKwh);
        Assert.Empty(demand.AnnotationErrors);
    }

    [Theory]
    [InlineData("carbon-aware.io/duration", "soon")]
    [InlineData("carbon-aware.io/duration", "0s")]
    [InlineData("carbon-aware.io/max-intensity", "low")]
    [InlineData("carbon-aware.io/max-intensity", "-5")]
    public void Read_BadAnnotation_IsIgnoredWithAnError(string key, string value)
    {
        var demand = Reader.Read(Pod([Container("1")], annotations: new() { [key] = value }));
        Assert.Null(demand.Duration);
        Assert.Null(demand.MaxIntensityGramsPerKwh);
        var error = Assert.Single(demand.AnnotationErrors);
        Assert.StartsWith(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedQuantity_CountsAsZero()
    {
        var demand = Reader.Read(Pod([Container("lots"), Container("1")]));
        Assert.Equal(1, demand.CpuCores, 9);
    }
}
