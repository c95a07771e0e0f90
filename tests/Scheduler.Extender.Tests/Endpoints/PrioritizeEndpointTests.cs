using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Scheduler.Core.Intensity;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class PrioritizeEndpointTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    private static readonly string[] ClusterNames = ["de-1", "fr-1", "gb-1", "nozone-1", "unknown-node"];

    private HttpClient Client => fixture.Server.Client;

    private static async Task<JsonArray> PostAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync(new Uri("/prioritize", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private static Dictionary<string, long> ByHost(JsonArray scores) =>
        scores.ToDictionary(s => (string)s!["Host"]!, s => (long)s!["Score"]!);

    [Fact]
    public async Task Prioritize_NodeNames_ScoresFromTheNodeCacheCleanestHighest()
    {
        var scores = ByHost(await PostAsync(Client, TestNodes.Args(TestNodes.Pod(), names: ClusterNames)));

        Assert.Equal(ClusterNames, scores.Keys);
        Assert.Equal(10, scores["fr-1"]);
        Assert.Equal(0, scores["de-1"]);
        Assert.InRange(scores["gb-1"], 1, 9);
        Assert.Equal(5, scores["nozone-1"]);
        Assert.Equal(5, scores["unknown-node"]);
    }

    [Fact]
    public async Task Prioritize_FullNodes_ScoresTheNodesSent()
    {
        var nodes = TestNodes.Cluster();
        var scores = ByHost(await PostAsync(Client, TestNodes.Args(TestNodes.Pod(), nodes: nodes)));

        Assert.Equal(nodes.Select(n => (string)n["metadata"]!["name"]!), scores.Keys);
        Assert.Equal(10, scores["fr-1"]);
        Assert.Equal(0, scores["de-1"]);
    }

    [Fact]
    public async Task Prioritize_LowerCaseKeys_AreAccepted()
    {
        var body = TestNodes.Args(TestNodes.Pod(), names: ["de-1", "fr-1"]).Replace("\"Pod\"", "\"pod\"", StringComparison.Ordinal).Replace("\"NodeNames\"", "\"nodenames\"", StringComparison.Ordinal);
        var scores = ByHost(await PostAsync(Client, body));
        Assert.Equal(10, scores["fr-1"]);
    }

    [Fact]
    public async Task Prioritize_ScoresAlwaysWithinExtenderRange()
    {
        var scores = await PostAsync(Client, TestNodes.Args(TestNodes.Pod(gpus: 1), names: ClusterNames));
        Assert.All(scores, s => Assert.InRange((long)s!["Score"]!, 0, 10));
        Assert.All(scores, s => Assert.Equal(["Host", "Score"], s!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task Prioritize_InternalFault_AnswersNeutralScores()
    {
        var failing = Substitute.For<IForecastLookup>();
        failing.Find(Arg.Any<string>()).Returns(_ => throw new InvalidOperationException("boom"));
        await using var server = await ExtenderServer.StartAsync(s => s.AddSingleton(failing), "--Scoring:NeutralScore", "4");

        var scores = ByHost(await PostAsync(server.Client, TestNodes.Args(TestNodes.Pod(), names: ClusterNames)));

        Assert.Equal(ClusterNames, scores.Keys);
        Assert.All(scores.Values, s => Assert.Equal(4, s));
    }
}
