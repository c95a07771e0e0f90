using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Tests.Shared;
using Scheduler.Tests.Shared.Fuzzing;

namespace Scheduler.Extender.Tests.Fuzz;

/// <summary>
/// <c>/filter</c> and <c>/prioritize</c> under generated and mutated <c>ExtenderArgs</c>: every valid
/// request is answered by the contract, every other one is a 200 by the contract or a 400 with a
/// message, and none is a 500, a dropped connection or an internal fault.
/// </summary>
[Trait("Category", FuzzRun.Category)]
public class ExtenderFuzzTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    private static readonly string[] Verbs = ["/filter", "/prioritize"];
    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", ""];

    [Fact]
    public void ValidArgs_AreAnsweredForEveryCandidate()
    {
        Prop.ForAll(ExtenderArgsGenerator.Requests(), request =>
        {
            var body = Encoding.UTF8.GetBytes(request.Json);
            foreach (var verb in Verbs)
            {
                var problem = ExtenderContract.Check(fixture.Server, verb, body, request.Candidates, mustAccept: true)
                    ?? AnswersEveryCandidate(verb, body, request);
                Assert.True(problem is null, problem);
            }
        }).Check(FuzzRun.Properties(seed: 20260114, iterations: 150));
    }

    [Fact]
    public void MutatedArgs_Are200ByTheContractOr400WithAMessage()
    {
        var bases = RealRequests().Concat(Gen.Sample(ExtenderArgsGenerator.Requests().Generator, 20, new Rnd(7UL, 0x9E3779B97F4A7C15UL), 40).Select(r => r.Json)).ToArray();
        FuzzRun.Cases(seed: 42, iterations: 1200, (random, i) =>
        {
            var source = bases[random.Next(bases.Length)];
            var mutant = JsonMutator.Mutate(source, random);
            var verb = Verbs[i % 2];
            var contentType = random.Next(4) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : "application/json";
            var problem = ExtenderContract.Check(fixture.Server, verb, mutant.Bytes, null, mustAccept: false, contentType);
            return problem is null ? null : $"{problem} (mutations: {mutant.Describe()})";
        });
    }

    [Theory]
    [InlineData("/filter")]
    [InlineData("/prioritize")]
    public void DeeplyNestedArgs_Are400(string verb)
    {
        // Past the reader's depth limit: refused with a message, not a stack overflow or a 500.
        var nested = new string('[', 100_000) + new string(']', 100_000);
        var body = Encoding.UTF8.GetBytes("{\"Pod\":{\"metadata\":{\"annotations\":{\"x\":" + nested + "}}},\"NodeNames\":[]}");

        var answer = ExtenderContract.Post(fixture.Server.Client, verb, body);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(ExtenderContract.CheckError(answer.Body));
    }

    [Theory]
    [InlineData("/filter")]
    [InlineData("/prioritize")]
    public void InvalidUtf8InASkippedField_Is400(string verb)
    {
        // Found by the mutation property: the bytes sat in a node field the reader skips, the
        // request was answered, and the node came back, invalid UTF-8 and all, in the filter answer.
        var nodes = TestNodes.NodeList([TestNodes.Node("de-1", gridZone: "DE")]).ToJsonString();
        var body = Encoding.UTF8.GetBytes("{\"Pod\":" + TestNodes.Pod().ToJsonString() + ",\"Nodes\":" + nodes.Replace("kubelet is posting", "kubelet \u0001is posting", StringComparison.Ordinal) + "}");
        var at = Array.IndexOf(body, (byte)1);
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        var answer = ExtenderContract.Post(fixture.Server.Client, verb, body);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains($"not valid UTF-8 at byte {at}", answer.Body, StringComparison.Ordinal);
    }

    // Beyond the contract's shape: prioritize scores each candidate once, in request order, and
    // filter puts each candidate either among the kept nodes or among the failed ones.
    private string? AnswersEveryCandidate(string verb, byte[] body, ExtenderArgsGenerator.Request request)
    {
        var answer = ExtenderContract.Post(fixture.Server.Client, verb, body);
        using var json = JsonDocument.Parse(answer.Body);
        if (verb == "/prioritize")
        {
            var hosts = json.RootElement.EnumerateArray().Select(e => e.GetProperty("Host").GetString()!).ToList();
            return hosts.SequenceEqual(request.Candidates) ? null : $"prioritize scored [{string.Join(",", hosts)}] for [{string.Join(",", request.Candidates)}]";
        }

        var kept = request.FullNodes
            ? json.RootElement.GetProperty("Nodes").GetProperty("items").EnumerateArray().Select(n => n.GetProperty("metadata").GetProperty("name").GetString()!).ToList()
            : json.RootElement.GetProperty("NodeNames").EnumerateArray().Select(n => n.GetString()!).ToList();
        var failed = json.RootElement.GetProperty("FailedNodes").EnumerateObject().Select(f => f.Name).ToList();
        return kept.Concat(failed).Order(StringComparer.Ordinal).SequenceEqual(request.Candidates.Order(StringComparer.Ordinal))
            ? null
            : $"filter kept [{string.Join(",", kept)}] and failed [{string.Join(",", failed)}] of [{string.Join(",", request.Candidates)}]";
    }

    // The scheduler's own round-trip example and the documented example requests.
    private static IEnumerable<string> RealRequests()
    {
        var wire = JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedData("extender-contract", "wire-examples.json")))!;
        yield return wire["ExtenderArgs"]!.ToJsonString();
        yield return File.ReadAllText(RepositoryPaths.InRepository("deploy", "examples", "filter-request.json"));
        yield return File.ReadAllText(RepositoryPaths.InRepository("deploy", "examples", "prioritize-request.json"));
    }
}
