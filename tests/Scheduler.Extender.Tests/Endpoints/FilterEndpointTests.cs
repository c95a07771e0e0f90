using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class FilterEndpointTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    private static readonly string[] ClusterNames = ["de-1", "fr-1", "gb-1", "nozone-1"];

    private static readonly Dictionary<string, string> Cap100 = new() { ["carbon-aware.io/max-intensity"] = "100" };

    private HttpClient Client => fixture.Server.Client;

    private async Task<JsonObject> PostAsync(string body)
    {
        using var response = await Client.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task Filter_PodWithoutCap_KeepsEveryNode()
    {
        var result = await PostAsync(TestNodes.Args(TestNodes.Pod(), names: ClusterNames));

        Assert.Equal(ClusterNames, result["NodeNames"]!.AsArray().Select(n => (string?)n));
        Assert.Null(result["Nodes"]);
        Assert.Empty(result["FailedNodes"]!.AsObject());
        Assert.Equal(string.Empty, (string?)result["Error"]);
    }

    [Fact]
    public async Task Filter_Cap_RemovesDirtierZonesWithAReasonEach()
    {
        var result = await PostAsync(TestNodes.Args(TestNodes.Pod(Cap100), names: ClusterNames));

        // DE and GB are above 100 gCO2eq/kWh on a January evening; FR is below; no zone -> kept.
        Assert.Equal(["fr-1", "nozone-1"], result["NodeNames"]!.AsArray().Select(n => (string?)n));
        var failed = result["FailedNodes"]!.AsObject();
        Assert.Equal(["de-1", "gb-1"], failed.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Contains("zone DE", (string?)failed["de-1"], StringComparison.Ordinal);
        Assert.Contains("max-intensity 100", (string?)failed["de-1"], StringComparison.Ordinal);
        Assert.Empty(result["FailedAndUnresolvableNodes"]!.AsObject());
    }

    [Fact]
    public async Task Filter_FullNodes_EchoesTheKeptNodesUnchanged()
    {
        var nodes = TestNodes.Cluster();
        var result = await PostAsync(TestNodes.Args(TestNodes.Pod(Cap100), nodes: nodes));

        Assert.Null(result["NodeNames"]);
        var kept = result["Nodes"]!["items"]!.AsArray();
        var keptNames = kept.Select(k => (string?)k!["metadata"]!["name"]).ToList();
        Assert.Contains("fr-1", keptNames);
        Assert.Contains("nozone-1", keptNames);
        Assert.DoesNotContain("de-1", keptNames);
        Assert.DoesNotContain("gb-1", keptNames);
        Assert.Equal(nodes.Length, keptNames.Count + result["FailedNodes"]!.AsObject().Count);
        foreach (var node in kept)
        {
            var original = nodes.Single(n => (string?)n["metadata"]!["name"] == (string?)node!["metadata"]!["name"]);
            Assert.True(JsonNode.DeepEquals(original, node));
        }
    }

    [Fact]
    public async Task Filter_InvalidCapAnnotation_IsIgnoredAndNoNodeRemoved()
    {
        var pod = TestNodes.Pod(new() { ["carbon-aware.io/max-intensity"] = "clean please" });
        var result = await PostAsync(TestNodes.Args(pod, names: ClusterNames));

        Assert.Equal(ClusterNames.Length, result["NodeNames"]!.AsArray().Count);
        Assert.Empty(result["FailedNodes"]!.AsObject());
    }

    [Fact]
    public async Task Filter_NamesNotInCache_AreKept()
    {
        var result = await PostAsync(TestNodes.Args(TestNodes.Pod(Cap100), names: ["ghost-1", "de-1"]));
        Assert.Equal(["ghost-1"], result["NodeNames"]!.AsArray().Select(n => (string?)n));
    }
}
