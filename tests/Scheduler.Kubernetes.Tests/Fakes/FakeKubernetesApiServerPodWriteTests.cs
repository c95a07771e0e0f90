using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The fake patches and replaces Pods under the API server's pod update rules: scheduling gates may only be
/// removed, and a gated Pod's node selector and required node affinity may only narrow.
/// </summary>
public sealed class FakeKubernetesApiServerPodWriteTests : IAsyncLifetime, IDisposable
{
    private const string Quota = "example.com/quota";

    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task MergePatch_RemovingOneGateAndAddingAZoneAffinity_IsAppliedWhileGated()
    {
        _server.AddPod(TestPods.Pod("media", "render", gates: [Quota, TestPods.OurGate]));

        var patched = await PatchAsync(V1Patch.PatchType.MergePatch, """
            {"spec":{"schedulingGates":[{"name":"example.com/quota"}],
                     "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"carbon-aware.io/grid-zone","operator":"In","values":["FR"]}]}]}}}}}
            """);

        Assert.Equal([Quota], TestPods.Gates(patched));
        Assert.Equal(["FR"], patched.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values);
        Assert.Equal(ApiRequestKind.PodPatch, _server.Requests[^1].Kind);
    }

    [Fact]
    public async Task StrategicMergeAndJsonPatch_RemoveAGateByName_AndTheStatusIsNotPatched()
    {
        _server.AddPod(TestPods.Pod("media", "render", gates: [Quota, TestPods.OurGate]));

        var strategic = await PatchAsync(V1Patch.PatchType.StrategicMergePatch, """{"spec":{"schedulingGates":[{"name":"carbon-aware.io/deferral","$patch":"delete"}]},"status":{"phase":"Running"}}""");
        var json = await PatchAsync(V1Patch.PatchType.JsonPatch, """[{"op":"remove","path":"/spec/schedulingGates/0"}]""");

        Assert.Equal([Quota], TestPods.Gates(strategic));
        Assert.Equal("Pending", strategic.Status.Phase);
        Assert.Empty(TestPods.Gates(json));
    }

    [Fact]
    public async Task Patch_AddingASchedulingGate_IsForbidden()
    {
        _server.AddPod(TestPods.Pod("media", "render", gates: [Quota]));

        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.JsonPatch, """[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"carbon-aware.io/deferral"}}]"""),
            422,
            "Invalid",
            "Pod \"render\" is invalid: spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'carbon-aware.io/deferral'");
        Assert.Equal([Quota], TestPods.Gates(_server.GetPod("media", "render")!));
    }

    [Fact]
    public async Task Patch_WithAStaleResourceVersion_IsAConflict()
    {
        var version = _server.AddPod(TestPods.Pod("media", "render", gates: [TestPods.OurGate]));
        _server.UpdatePod("media", "render", p => p.Metadata.Annotations = new Dictionary<string, string> { ["team"] = "vfx" });

        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.MergePatch, $$$"""{"metadata":{"resourceVersion":"{{{version}}}"},"spec":{"schedulingGates":null}}"""),
            409,
            "Conflict",
            "Operation cannot be fulfilled on pods \"render\": the object has been modified; please apply your changes to the latest version and try again");
        Assert.Equal([TestPods.OurGate], TestPods.Gates(_server.GetPod("media", "render")!));
    }

    [Fact]
    public async Task Patch_GatedPodsAffinity_MayNarrowButNotWiden()
    {
        var pod = TestPods.Pod("media", "render", gates: [TestPods.OurGate]);
        pod.Spec.Affinity = TestJobs.ZoneAffinity("eu-west-1a", "eu-west-1b");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        _server.AddPod(pod);
        const string Zone = """{"key":"topology.kubernetes.io/zone","operator":"In","values":["eu-west-1a","eu-west-1b"]}""";
        const string Grid = """{"key":"carbon-aware.io/grid-zone","operator":"In","values":["FR"]}""";

        var narrowed = await PatchAsync(V1Patch.PatchType.MergePatch, Affinity([[Zone, Grid]], new JsonObject { ["gpu"] = "none" }));

        Assert.Equal(2, narrowed.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions.Count);
        Assert.Equal(2, narrowed.Spec.NodeSelector.Count);
        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.MergePatch, Affinity([[Grid]])), 422, "Invalid");
        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.MergePatch, Affinity([[Zone, Grid], [Grid]])), 422, "Invalid");
        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.MergePatch, """{"spec":{"nodeSelector":{"disk":"hdd"}}}"""),
            422,
            "Invalid",
            "Pod \"render\" is invalid: spec.nodeSelector: Invalid value: \"{\\\"disk\\\":\\\"hdd\\\",\\\"gpu\\\":\\\"none\\\"}\": only additions to spec.nodeSelector are allowed (no mutations or deletions)");
    }

    [Fact]
    public async Task Patch_UngatedPodsAffinity_IsForbiddenButItsImageMayChange()
    {
        _server.AddPod(TestPods.Pod("media", "render"));

        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.MergePatch, """{"spec":{"nodeSelector":{"disk":"ssd"}}}"""),
            422,
            "Invalid",
            $"Pod \"render\" is invalid: spec: Forbidden: {PodStrategy.SpecForbidden}");
        var replaced = _server.GetPod("media", "render")!;
        replaced.Spec.Containers[0].Image = "ghcr.io/example/render:2.1";
        var updated = await _client.CoreV1.ReplaceNamespacedPodAsync(replaced, "render", "media", cancellationToken: _timeout.Token);

        Assert.Equal("ghcr.io/example/render:2.1", updated.Spec.Containers[0].Image);
        Assert.Equal(ApiRequestKind.PodReplace, _server.Requests[^1].Kind);
    }

    // A merge patch of the required node selector terms (each the JSON of its match expressions), and of the node selector when given.
    private static string Affinity(string[][] terms, JsonObject? nodeSelector = null)
    {
        var required = new JsonObject
        {
            ["nodeSelectorTerms"] = new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject { ["matchExpressions"] = JsonNode.Parse($"[{string.Join(',', t)}]") })]),
        };
        var spec = new JsonObject { ["affinity"] = new JsonObject { ["nodeAffinity"] = new JsonObject { ["requiredDuringSchedulingIgnoredDuringExecution"] = required } } };
        if (nodeSelector is not null)
        {
            spec["nodeSelector"] = nodeSelector;
        }

        return new JsonObject { ["spec"] = spec }.ToJsonString();
    }

    private Task<V1Pod> PatchAsync(V1Patch.PatchType type, string body) =>
        _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(body, type), "render", "media", cancellationToken: _timeout.Token);
}
