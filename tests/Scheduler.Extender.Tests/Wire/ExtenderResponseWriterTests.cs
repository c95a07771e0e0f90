using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scheduler.Core.Power;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Wire;
using Scheduler.Tests.Shared;

namespace Scheduler.Extender.Tests.Wire;

public class ExtenderResponseWriterTests
{
    private static readonly JsonObject WireExamples =
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedData("extender-contract", "wire-examples.json")))!.AsObject();

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void WriteHostPriorities_IsABareArrayOfTheSchedulersHostPriority()
    {
        var reason = new ScoreReason(ScoreOutcome.Scored, "DE", 1, "t", 1, 1, PowerSource.Default, "m", 1, 1);
        var json = Write(w => ExtenderResponseWriter.WriteHostPriorities(w, [new NodeScore("myhost", 1, reason)]));

        var array = JsonNode.Parse(json)!.AsArray();
        Assert.True(JsonNode.DeepEquals(WireExamples["HostPriority"], array[0]));
    }

    [Fact]
    public void WriteFilterResult_FullNodes_EchoesPassedNodesAndUsesTheSchedulersKeys()
    {
        var example = WireExamples["ExtenderArgs"]!.AsObject();
        example.Remove("NodeNames");
        example["NodeNames"] = null;
        var body = Encoding.UTF8.GetBytes(example.ToJsonString());
        var args = ExtenderArgsReader.Read(body);

        var json = Write(w => ExtenderResponseWriter.WriteFilterResult(w, body, args, [0], new Dictionary<string, string> { ["foo"] = "bar" }));
        var result = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(["Nodes", "NodeNames", "FailedNodes", "FailedAndUnresolvableNodes", "Error"], result.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(WireExamples["ExtenderFilterResult"]!["Nodes"], result["Nodes"]));
        Assert.Null(result["NodeNames"]);
        Assert.Equal("bar", (string?)result["FailedNodes"]!["foo"]);
        Assert.Equal(string.Empty, (string?)result["Error"]);
    }

    [Fact]
    public void WriteFilterResult_NodeNames_ReturnsOnlyPassedNamesAndNullNodes()
    {
        var body = Encoding.UTF8.GetBytes("""{"Pod":{},"Nodes":null,"NodeNames":["a","b","c"]}""");
        var args = ExtenderArgsReader.Read(body);

        var json = Write(w => ExtenderResponseWriter.WriteFilterResult(w, body, args, [0, 2], new Dictionary<string, string> { ["b"] = "dirty" }));
        var result = JsonNode.Parse(json)!.AsObject();

        Assert.Null(result["Nodes"]);
        Assert.Equal(["a", "c"], result["NodeNames"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("dirty", (string?)result["FailedNodes"]!["b"]);
    }
}
