using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Extender.Wire;
using Scheduler.Tests.Shared;

namespace Scheduler.Extender.Tests.Wire;

public class ExtenderArgsReaderTests
{
    private static readonly JsonObject WireExamples =
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedData("extender-contract", "wire-examples.json")))!.AsObject();

    private static ExtenderArgs Read(string json) => ExtenderArgsReader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Read_SchedulersOwnExample_ReadsPodNodesAndNames()
    {
        var args = Read(WireExamples["ExtenderArgs"]!.ToJsonString());

        Assert.Equal("podname", args.Pod.Name);
        Assert.Empty(args.Pod.Containers); // "containers": null
        var node = Assert.Single(args.Nodes!);
        Assert.Equal("nodename", node.Facts.Name);
        Assert.Equal(["node1"], args.NodeNames);
    }

    [Fact]
    public void Read_AllLowerCaseKeys_ReadsTheSame()
    {
        // kube-scheduler's TestCompatibility lower-cases the whole document: Go decodes it case-insensitively, so do we.
        var lower = WireExamples["ExtenderArgs"]!.ToJsonString().ToLowerInvariant();
        var args = Read(lower);

        Assert.Equal("podname", args.Pod.Name);
        Assert.Equal("nodename", Assert.Single(args.Nodes!).Facts.Name);
        Assert.Equal(["node1"], args.NodeNames);
    }

    [Fact]
    public void Read_NodeCacheCapableMode_NullNodesAndNames()
    {
        var args = Read("""{"Pod":{"metadata":{"name":"p","namespace":"ns"},"spec":{}},"Nodes":null,"NodeNames":["a","b"]}""");

        Assert.Null(args.Nodes);
        Assert.Equal(["a", "b"], args.NodeNames);
        Assert.Equal(["a", "b"], args.CandidateNames);
    }

    [Fact]
    public void Read_FullNodes_KeepsEachNodesBytesForTheEcho()
    {
        const string nodeA = """{"metadata":{"name":"a","labels":{"x":"1","topology.kubernetes.io/region":"eu-west-3"}},"status":{"allocatable":{"cpu":"4","memory":"16Gi","nvidia.com/gpu":2}}}""";
        const string nodeB = """{ "metadata" : { "name" : "b" } }""";
        var json = "{\"Pod\":{\"metadata\":{\"name\":\"p\"}},\"Nodes\":{\"metadata\":{},\"items\":[" + nodeA + ", " + nodeB + "]},\"NodeNames\":null}";
        var bytes = Encoding.UTF8.GetBytes(json);

        var args = ExtenderArgsReader.Read(bytes);

        Assert.Null(args.NodeNames);
        Assert.Equal(nodeA, Encoding.UTF8.GetString(bytes, args.Nodes![0].Start, args.Nodes[0].Length));
        Assert.Equal(nodeB, Encoding.UTF8.GetString(bytes, args.Nodes[1].Start, args.Nodes[1].Length));
        Assert.Equal("eu-west-3", args.Nodes[0].Facts.Labels["topology.kubernetes.io/region"]);
        Assert.Equal("2", args.Nodes[0].Facts.Allocatable["nvidia.com/gpu"]);

        // Only what scoring reads is kept; the echo still carries everything.
        Assert.False(args.Nodes[0].Facts.Labels.ContainsKey("x"));
        Assert.False(args.Nodes[0].Facts.Allocatable.ContainsKey("memory"));
        Assert.Equal(["a", "b"], args.CandidateNames);
    }

    [Fact]
    public void Read_PodResourcesAndAnnotations()
    {
        var args = Read("""
            {"Pod":{"metadata":{"name":"p","namespace":"ml","annotations":{"carbon-aware.io/duration":"2h"}},
              "spec":{"initContainers":[{"name":"i","resources":{"requests":{"cpu":"3"}}}],
                      "containers":[{"name":"c","resources":{"requests":{"cpu":"500m"},"limits":{"nvidia.com/gpu":"1"}}},{"name":"d"}],
                      "overhead":{"cpu":"100m"}}},
             "NodeNames":["n"]}
            """);

        Assert.Equal("ml", args.Pod.Namespace);
        Assert.Equal("2h", args.Pod.Annotations["carbon-aware.io/duration"]);
        Assert.Equal(2, args.Pod.Containers.Count);
        Assert.Equal("500m", args.Pod.Containers[0].Requests["cpu"]);
        Assert.Equal("1", args.Pod.Containers[0].Limits["nvidia.com/gpu"]);
        Assert.Equal("3", Assert.Single(args.Pod.InitContainers).Requests["cpu"]);
        Assert.Equal("100m", args.Pod.Overhead["cpu"]);
    }

    [Fact]
    public void Read_NodeWithOnlyCapacity_UsesCapacity()
    {
        var args = Read("""{"Pod":{},"Nodes":{"items":[{"metadata":{"name":"a"},"status":{"capacity":{"cpu":"8"}}}]}}""");
        Assert.Equal("8", args.Nodes![0].Facts.Allocatable["cpu"]);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"Pod\":{},\"NodeNames\":[\"a\"]} x", "not valid JSON")]
    [InlineData("{\"NodeNames\":[\"a\"]}", "no Pod")]
    [InlineData("{\"Pod\":{}}", "neither Nodes nor NodeNames")]
    [InlineData("{\"Pod\":{},\"Nodes\":null,\"NodeNames\":null}", "neither Nodes nor NodeNames")]
    [InlineData("{\"Pod\":{},\"NodeNames\":[1]}", "NodeNames[0] must be a string")]
    [InlineData("{\"Pod\":{},\"NodeNames\":\"a\"}", "NodeNames must be an array")]
    [InlineData("{\"Pod\":[],\"NodeNames\":[]}", "Pod must be an object")]
    [InlineData("{\"Pod\":{},\"Nodes\":{\"items\":[{\"metadata\":{}}]}}", "Nodes.items[0] has no metadata.name")]
    [InlineData("{\"Pod\":{\"metadata\":{\"annotations\":{\"a\":{}}}},\"NodeNames\":[]}", "Pod.metadata.annotations.a must be a string")]
    [InlineData("{\"Pod\":{\"spec\":{\"containers\":[{\"resources\":{\"requests\":[]}}]}},\"NodeNames\":[]}", "Pod.spec.containers[].resources.requests must be an object")]
    public void Read_Malformed_ThrowsWithAClearMessage(string json, string expected)
    {
        var e = Assert.Throws<ExtenderRequestException>(() => Read(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeeplyNestedGarbage_IsRejectedNotACrash()
    {
        var json = "{\"Pod\":{\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "},\"NodeNames\":[]}";
        Assert.Throws<ExtenderRequestException>(() => Read(json));
    }
}
