using System.Text.Json.Nodes;
using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Planning;
using Scheduler.Kubernetes.Deferral;
using Scheduler.Kubernetes.Tests.Fakes;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class PodPatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DeferralRecord Released = new(
        DeferralState.Released, new DeferralPlan("FR", [new RunChunk(T0, T0.AddHours(2))], T0.AddHours(6), 40, 300, "held until ..."), TimeSpan.Zero);

    private static readonly V1NodeSelectorRequirement Fr = new() { Key = "carbon-aware.io/grid-zone", OperatorProperty = "In", Values = ["FR"] };

    [Fact]
    public void Release_GatedPod_RemovesOnlyOurGateAndNamesTheVersionItWasDecidedOn()
    {
        var pod = Pod("example.com/quota", TestPods.OurGate, "example.com/approval");

        var patch = Body(PodPatch.Release(pod, Released, null));

        Assert.Equal("42", (string?)patch["metadata"]!["resourceVersion"]);
        Assert.Equal("released", (string?)patch["metadata"]!["annotations"]![CarbonAnnotations.State]);
        Assert.Equal("""[{"name":"example.com/quota"},{"name":"example.com/approval"}]""", patch["spec"]!["schedulingGates"]!.ToJsonString());
        Assert.Null(patch["spec"]!["affinity"]);
    }

    [Fact]
    public void Release_OurGateTheOnlyOne_RemovesTheListAndSetsTheZoneAsTheOnlyTerm()
    {
        var patch = Body(PodPatch.Release(Pod(TestPods.OurGate), Released, Fr));

        var spec = patch["spec"]!.AsObject();
        Assert.True(spec.ContainsKey("schedulingGates"));
        Assert.Null(spec["schedulingGates"]);
        Assert.Equal(
            """{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"carbon-aware.io/grid-zone","operator":"In","values":["FR"]}]}]}}}""",
            spec["affinity"]!.ToJsonString());
    }

    [Fact]
    public void Release_PodWithRequiredTerms_AppendsTheZoneToEachKeepingWhatWasThere()
    {
        var pod = Pod(TestPods.OurGate);
        pod.Spec.Affinity = TestJobs.ZoneAffinity("eu-west-3a");
        pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Add(new V1NodeSelectorTerm
        {
            MatchExpressions = [new V1NodeSelectorRequirement { Key = "carbon-aware.io/grid-zone", OperatorProperty = "In", Values = ["DE", "FR"] }],
        });

        var patch = Body(PodPatch.Release(pod, Released, Fr));

        var terms = patch["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();
        Assert.Equal(
            [["topology.kubernetes.io/zone", "carbon-aware.io/grid-zone"], ["carbon-aware.io/grid-zone", "carbon-aware.io/grid-zone"]],
            terms.Select(t => t!["matchExpressions"]!.AsArray().Select(e => (string)e!["key"]!).ToList()));
    }

    [Fact]
    public void Release_PodNoLongerGatedByUs_LeavesItsPlacementAlone()
    {
        var patch = Body(PodPatch.Release(Pod("example.com/quota"), Released, Fr));

        Assert.Null(patch["spec"]!["affinity"]);
        Assert.Equal("""[{"name":"example.com/quota"}]""", patch["spec"]!["schedulingGates"]!.ToJsonString());
    }

    [Fact]
    public void Record_IsAMergePatchOfAnnotationsOnly()
    {
        var patch = PodPatch.Record(Pod(TestPods.OurGate), Released with { State = DeferralState.Held });

        Assert.Equal(V1Patch.PatchType.MergePatch, patch.Type);
        Assert.Equal(["metadata"], Body(patch).Select(p => p.Key));
    }

    private static JsonObject Body(V1Patch patch) => JsonNode.Parse((string)patch.Content)!.AsObject();

    private static V1Pod Pod(params string[] gates)
    {
        var pod = TestPods.Pod("media", "render", new Dictionary<string, string>(), gates);
        pod.Metadata.ResourceVersion = "42";
        return pod;
    }
}
