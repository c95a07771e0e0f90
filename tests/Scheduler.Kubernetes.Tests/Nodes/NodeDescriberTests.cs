using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Nodes;

public class NodeDescriberTests
{
    private readonly NodeDescriber _describer = TestNodes.CreateDescriber();

    [Theory]
    [InlineData("96", 96.0)]
    [InlineData("3500m", 3.5)]
    [InlineData("95690m", 95.69)]
    [InlineData("0.5", 0.5)]
    public void Describe_AllocatableCpu_IsTheNodesCores(string cpu, double cores)
    {
        var node = Describe(Facts("n1", [], [("cpu", cpu)]));

        Assert.Equal(cores, node.Power.CpuCores, 9);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("")]
    [InlineData("-4")]
    public void Describe_UnreadableCpu_CountsNoCoresAndDoesNotThrow(string cpu)
    {
        var node = Describe(Facts("n1", [], [("cpu", cpu)]));

        Assert.Equal(0, node.Power.CpuCores);
    }

    [Fact]
    public void Describe_UnknownHardware_UsesTheDefaultModel()
    {
        var node = Describe(Facts("rack3-node07", [(NodeLabels.GridZone, "SE-SE3")], [("cpu", "3500m")]));

        Assert.Equal(PowerSource.Default, node.Power.Source);
        Assert.Equal("default", node.Power.Model);
        Assert.Null(node.Power.Gpu);
        // models/hardware-power.json "default": 0.74 W idle and 3.5 W busy per vCPU.
        Assert.Equal(3.5 * 0.74, node.Power.CpuIdleWatts, 9);
        Assert.Equal(3.5 * 3.5, node.Power.CpuMaxWatts, 9);
    }

    [Fact]
    public void Describe_NvidiaGpuProductLabel_ResolvesTheGpuModel()
    {
        var node = Describe(Facts(
            "gpu-1",
            [("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")],
            [("cpu", "96"), ("nvidia.com/gpu", "8")]));

        Assert.Equal(PowerSource.HardwareModel, node.Power.Source);
        Assert.Equal("H100-SXM", node.Power.Gpu?.Product);
        Assert.Equal(700, node.Power.Gpu!.ActiveWatts);
        Assert.Equal("default+H100-SXM", node.Power.Model);
    }

    [Fact]
    public void Describe_ExplicitGpuProductLabel_WinsOverTheVendorLabel()
    {
        var node = Describe(Facts(
            "gpu-1",
            [(NodeLabels.GpuProduct, "L40S"), ("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")],
            [("cpu", "96"), ("nvidia.com/gpu", "4")]));

        Assert.Equal("L40S", node.Power.Gpu?.Product);
    }

    [Fact]
    public void Describe_AmdGpus_CountAsGpus()
    {
        var node = Describe(Facts("mi300-1", [("amd.com/gpu.product-name", "AMD_Instinct_MI300X_OAM")], [("cpu", "192"), ("amd.com/gpu", "8")]));

        Assert.NotNull(node.Power.Gpu);
    }

    [Fact]
    public void Describe_GpuProductLabelButNoAllocatableGpu_HasNoGpu()
    {
        // The device plugin has not registered the GPUs yet: nothing to schedule on them.
        var node = Describe(Facts("gpu-1", [("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")], [("cpu", "96"), ("nvidia.com/gpu", "0")]));

        Assert.Null(node.Power.Gpu);
    }

    [Fact]
    public void Describe_UnknownGpuProduct_UsesTheDefaultGpu()
    {
        var node = Describe(Facts("gpu-1", [("nvidia.com/gpu.product", "NVIDIA-GeForce-RTX-9090")], [("cpu", "32"), ("nvidia.com/gpu", "2")]));

        Assert.Equal(PowerSource.Default, node.Power.Source);
        Assert.Equal("default", node.Power.Gpu?.Product);
    }

    [Fact]
    public void Describe_InstanceTypeP4d_UsesTheInstancesCpuAndGpu()
    {
        var node = Describe(Facts(
            "ip-10-0-12-34.eu-central-1.compute.internal",
            [(NodeLabels.InstanceType, "p4d.24xlarge"), (NodeLabels.Region, "eu-central-1")],
            [("cpu", "96"), ("nvidia.com/gpu", "8")]));

        Assert.Equal(PowerSource.HardwareModel, node.Power.Source);
        Assert.Equal("p4d.24xlarge+A100-SXM4-40GB", node.Power.Model);
        Assert.Equal("A100-SXM4-40GB", node.Power.Gpu?.Product);
        // intel-cascadelake: 0.69 W idle and 4.06 W busy per vCPU.
        Assert.Equal(96 * 4.06, node.Power.CpuMaxWatts, 9);
        Assert.Equal("DE", node.Zone);
    }

    [Fact]
    public void Describe_LegacyInstanceTypeLabel_IsUsed()
    {
        var node = Describe(Facts("n1", [(NodeLabels.LegacyInstanceType, "p4d.24xlarge")], [("cpu", "96"), ("nvidia.com/gpu", "8")]));

        Assert.Equal("p4d.24xlarge+A100-SXM4-40GB", node.Power.Model);
    }

    [Fact]
    public void Describe_ExplicitCpuClass_WinsOverTheInstanceType()
    {
        var node = Describe(Facts("n1", [(NodeLabels.InstanceType, "p4d.24xlarge"), (NodeLabels.CpuClass, "amd-epyc-gen4")], [("cpu", "96")]));

        // amd-epyc-gen4: 2.28 W busy per vCPU.
        Assert.Equal(96 * 2.28, node.Power.CpuMaxWatts, 9);
    }

    [Fact]
    public void Describe_InventoryNodeWithAnEmptyRegionLabel_HasNoZone()
    {
        // A region label left empty in a hand-edited YAML inventory is read as a null label value.
        var facts = NodeInventoryFile.Parse(
            "apiVersion: v1\nkind: List\nitems:\n- metadata:\n    name: rack3-node09\n    labels:\n      topology.kubernetes.io/region:\n  status:\n    allocatable:\n      cpu: \"4\"\n",
            "nodes.yaml");

        var node = _describer.Describe(Assert.Single(facts));

        Assert.Null(node.Zone);
        Assert.Equal(4, node.Power.CpuCores);
    }

    // The realistic nodes of TestData/: their zone and power model, end to end from the file.
    [Theory]
    [InlineData("nodelist.json", TestNodes.AwsA100, "DE", "p4d.24xlarge+A100-SXM4-40GB", PowerSource.HardwareModel, 95.69)]
    [InlineData("nodelist.json", TestNodes.AwsH100, "DE", "p5.48xlarge+H100-SXM", PowerSource.HardwareModel, 191.45)]
    [InlineData("nodelist.json", TestNodes.AzureD4, "NL", "Standard_D4s_v5", PowerSource.HardwareModel, 3.86)]
    [InlineData("nodelist.json", TestNodes.GcpN2, "US-MIDW-MISO", "n2-standard-*", PowerSource.HardwareModel, 7.91)]
    [InlineData("nodelist.json", TestNodes.OnPremises, "SE-SE3", "default", PowerSource.Default, 3.5)]
    [InlineData("kubectl-get-nodes.yaml", "gpu-worker-01", "DE", "default+L40S", PowerSource.HardwareModel, 96)]
    [InlineData("kubectl-get-nodes.yaml", "ip-172-31-9-14.eu-west-1.compute.internal", "IE", "m5.*", PowerSource.HardwareModel, 7.91)]
    public void Describe_TestDataNode_HasItsZoneAndPowerModel(string file, string name, string zone, string model, PowerSource source, double cores)
    {
        var facts = NodeInventoryFile.Read(TestNodes.DataFile(file)).Single(n => n.Name == name);

        var node = _describer.Describe(facts);

        Assert.Equal(name, node.Name);
        Assert.Equal(zone, node.Zone);
        Assert.Equal(model, node.Power.Model);
        Assert.Equal(source, node.Power.Source);
        Assert.Equal(cores, node.Power.CpuCores, 9);
    }

    private NodeDescription Describe(NodeFacts facts) => _describer.Describe(facts);

    private static NodeFacts Facts(string name, (string Key, string Value)[] labels, (string Name, string Quantity)[] allocatable) => new(
        name,
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
        allocatable.ToDictionary(r => r.Name, r => r.Quantity, StringComparer.Ordinal));
}
