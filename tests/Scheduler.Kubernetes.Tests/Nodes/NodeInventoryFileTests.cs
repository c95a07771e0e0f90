using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Nodes;

public class NodeInventoryFileTests
{
    [Fact]
    public void Read_ApiNodeListJson_ReadsEveryNode()
    {
        var nodes = NodeInventoryFile.Read(TestNodes.DataFile("nodelist.json"));

        Assert.Equal([TestNodes.AwsA100, TestNodes.AwsH100, TestNodes.AzureD4, TestNodes.GcpN2, TestNodes.OnPremises], nodes.Select(n => n.Name));
        var a100 = nodes[0];
        Assert.Equal("p4d.24xlarge", a100.Labels[NodeLabels.InstanceType]);
        Assert.Equal("eu-central-1", a100.Labels[NodeLabels.Region]);
        Assert.Equal("95690m", a100.Allocatable["cpu"]);
        Assert.Equal("8", a100.Allocatable["nvidia.com/gpu"]);
        Assert.Equal("NVIDIA-H100-80GB-HBM3", nodes[1].Labels["nvidia.com/gpu.product"]);
        Assert.Equal("SE-SE3", nodes[4].Labels[NodeLabels.GridZone]);
        Assert.Equal("3500m", nodes[4].Allocatable["cpu"]);
    }

    [Fact]
    public void Read_NodeListYaml_GivesTheSameFactsAsJson()
    {
        var json = NodeInventoryFile.Read(TestNodes.DataFile("nodelist.json"));
        var yaml = NodeInventoryFile.Read(TestNodes.DataFile("nodelist.yaml"));

        Assert.Equal(json.Count, yaml.Count);
        for (var i = 0; i < json.Count; i++)
        {
            Assert.Equal(json[i].Name, yaml[i].Name);
            Assert.Equal(json[i].Labels.OrderBy(l => l.Key), yaml[i].Labels.OrderBy(l => l.Key));
            Assert.Equal(json[i].Allocatable.OrderBy(r => r.Key), yaml[i].Allocatable.OrderBy(r => r.Key));
        }
    }

    [Fact]
    public void Read_KubectlGetNodesYamlList_ReadsEveryNode()
    {
        // kubectl get nodes -o yaml writes "apiVersion: v1, kind: List" around the nodes.
        var nodes = NodeInventoryFile.Read(TestNodes.DataFile("kubectl-get-nodes.yaml"));

        Assert.Equal(["gpu-worker-01", "ip-172-31-9-14.eu-west-1.compute.internal"], nodes.Select(n => n.Name));
        Assert.Equal("96", nodes[0].Allocatable["cpu"]);
        Assert.Equal("4", nodes[0].Allocatable["nvidia.com/gpu"]);
        Assert.Equal("NVIDIA-L40S", nodes[0].Labels["nvidia.com/gpu.product"]);
        Assert.Equal("eu-west-1", nodes[1].Labels[NodeLabels.LegacyRegion]);
        Assert.Equal("m5.2xlarge", nodes[1].Labels[NodeLabels.LegacyInstanceType]);
    }

    [Fact]
    public void Read_MalformedYaml_ThrowsInvalidDataNamingTheFile()
    {
        var path = TestNodes.DataFile("nodes-malformed.yaml");

        var e = Assert.Throws<InvalidDataException>(() => NodeInventoryFile.Read(path));

        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a NodeList", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ItemWithoutName_IsRejectedNamingTheItem()
    {
        var path = TestNodes.DataFile("nodes-unnamed.json");

        var e = Assert.Throws<InvalidDataException>(() => NodeInventoryFile.Read(path));

        Assert.Equal($"{path}: items[1] has no metadata.name", e.Message);
    }

    [Fact]
    public void Read_EmptyListItem_IsRejectedAsInvalidData()
    {
        var path = TestNodes.DataFile("nodes-empty-item.yaml");

        var e = Assert.Throws<InvalidDataException>(() => NodeInventoryFile.Read(path));

        Assert.Contains("items[1]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"NodeList","apiVersion":"v1","items":[""", "truncated JSON")]
    [InlineData("""{"kind":"NodeList","apiVersion":"v1","items":{}}""", "items not a list")]
    [InlineData("""{"items":[{"metadata":{"name":"n1","labels":{"node.kubernetes.io/instance-type":5}}}]}""", "label not a string")]
    [InlineData("""{"items":[{"metadata":{"name":"n1"},"status":{"allocatable":{"cpu":"lots"}}}]}""", "JSON quantity not a quantity")]
    [InlineData("items:\n- metadata:\n    name: n1\n  status:\n    allocatable:\n      cpu: lots\n", "YAML quantity not a quantity")]
    [InlineData("items:\n- metadata:\n    name: n1\n    creationTimestamp: yesterday\n", "YAML timestamp not a time")]
    [InlineData("items: [n1, n2\n", "unclosed YAML sequence")]
    [InlineData("items: 5\n", "items a scalar")]
    [InlineData("- n1\n- n2\n", "a YAML sequence")]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n", "a single Node")]
    [InlineData("", "an empty file")]
    public void Parse_NotANodeList_ThrowsInvalidDataNamingTheSource(string text, string what)
    {
        var e = Assert.Throws<InvalidDataException>(() => NodeInventoryFile.Parse(text, "inventory.yaml"));

        Assert.True(e.Message.StartsWith("inventory.yaml: ", StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void Parse_EmptyItems_IsAnEmptyInventory()
    {
        Assert.Empty(NodeInventoryFile.Parse("apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n", "empty.yaml"));
    }

    [Fact]
    public void Parse_NodeWithCapacityOnly_UsesTheCapacity()
    {
        var nodes = NodeInventoryFile.Parse(
            """{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"n1"},"status":{"capacity":{"cpu":"8","nvidia.com/gpu":"1"}}}]}""",
            "nodes.json");

        Assert.Equal("8", nodes[0].Allocatable["cpu"]);
        Assert.Equal("1", nodes[0].Allocatable["nvidia.com/gpu"]);
        Assert.Empty(nodes[0].Labels);
    }
}
