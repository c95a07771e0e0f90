using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Ledger;

public class ScoringSamplerTests
{
    private static readonly DateTimeOffset Now = ExtenderServer.Now;

    [Fact]
    public async Task Prioritize_OneInThree_RecordsTheFirstPodAndEveryThirdWithASamplePerNode()
    {
        var ledger = new InMemoryLedger();
        await using var server = await ExtenderServer.StartAsync(s => s.AddSingleton<ILedger>(ledger), "--Ledger:ScoringSampleEvery", "3");

        var answers = new Dictionary<string, JsonArray>();
        for (var i = 1; i <= 7; i++)
        {
            answers[$"pod-{i}"] = await PrioritizeAsync(server, $"pod-{i}");
        }

        await server.Services.GetRequiredService<BufferedLedgerWriter>().WhenEmptyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var samples = await ledger.ReadScoringSamplesAsync(Now.AddHours(-1), Now.AddHours(1), 100, CancellationToken.None);

        Assert.Equal(["pod-1", "pod-4", "pod-7"], samples.Select(s => s.Pod).Distinct());
        Assert.Equal(9, samples.Count);
        foreach (var sample in samples)
        {
            var answer = answers[sample.Pod].Single(a => (string)a!["Host"]! == sample.Node);
            Assert.Equal((int)answer!["Score"]!, sample.Score);
            Assert.Equal(Now, sample.At);
            Assert.Equal("ml", sample.Namespace);
        }

        var de = samples.First(s => s.Node == "de-1");
        Assert.Equal("DE", de.Zone);
        Assert.NotNull(de.Grams);
        Assert.StartsWith("zone=DE intensity=", de.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData(null)] // in memory, sampling is off unless asked for: nothing would ever free the samples
    public async Task Prioritize_SamplingOff_RecordsNothing(string? every)
    {
        var ledger = new InMemoryLedger();
        await using var server = await ExtenderServer.StartAsync(s => s.AddSingleton<ILedger>(ledger), every is null ? [] : ["--Ledger:ScoringSampleEvery", every]);

        await PrioritizeAsync(server, "pod-1");
        await server.Services.GetRequiredService<BufferedLedgerWriter>().WhenEmptyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(await ledger.ReadScoringSamplesAsync(Now.AddHours(-1), Now.AddHours(1), 100, CancellationToken.None));
    }

    private static async Task<JsonArray> PrioritizeAsync(ExtenderServer server, string podName)
    {
        var pod = TestNodes.Pod();
        pod["metadata"]!["name"] = podName;
        using var response = await server.Client.PostAsync(
            new Uri("/prioritize", UriKind.Relative),
            new StringContent(TestNodes.Args(pod, names: ["de-1", "fr-1", "gb-1"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }
}
