using System.Text.Json.Nodes;
using k8s.Models;
using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;
using Scheduler.Core.Planning;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Kubernetes.Tests.Deferral;

public class JobPatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DeferralRecord Released = new(
        DeferralState.Released, new DeferralPlan("FR", [new RunChunk(T0, T0.AddHours(2))], T0.AddHours(6), 40, 300, "held until ..."), TimeSpan.Zero);

    [Fact]
    public void Release_PlainJob_UnsuspendsConstrainsTheZoneAndNamesTheVersionItWasDecidedOn()
    {
        var job = Job(resourceVersion: "42");
        job.Spec.Template.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "pool", OperatorProperty = "In", Values = ["gpu"] }] },
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "pool", OperatorProperty = "In", Values = ["spare"] }] },
                    ],
                },
            },
        };
        var zone = new V1NodeSelectorRequirement { Key = "carbon-aware.io/grid-zone", OperatorProperty = "In", Values = ["FR"] };

        var patch = Body(JobPatch.Release(job, Released, "carbon-aware.io/deferral", zone));

        Assert.Equal("42", (string?)patch["metadata"]!["resourceVersion"]);
        Assert.Equal("released", (string?)patch["metadata"]!["annotations"]![CarbonAnnotations.State]);
        Assert.False((bool)patch["spec"]!["suspend"]!);
        var terms = patch["spec"]!["template"]!["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();
        Assert.Equal(2, terms.Count);
        Assert.All(terms, term =>
        {
            var keys = term!["matchExpressions"]!.AsArray().Select(e => (string?)e!["key"]).ToList();
            Assert.Equal(["pool", "carbon-aware.io/grid-zone"], keys);
        });
    }

    [Fact]
    public void Release_JobThatAlreadyRan_LeavesItsTemplateAlone()
    {
        var job = Job();
        job.Status = new V1JobStatus { StartTime = T0.UtcDateTime };

        var patch = Body(JobPatch.Release(job, Released, "carbon-aware.io/deferral", new V1NodeSelectorRequirement { Key = "k", OperatorProperty = "In", Values = ["v"] }));

        Assert.Null(patch["spec"]!["template"]);
        Assert.False((bool)patch["spec"]!["suspend"]!);
    }

    [Theory]
    [InlineData("carbon-aware.io/deferral", null)]
    [InlineData("team.example/approval,carbon-aware.io/deferral", "team.example/approval")]
    public void Release_KueueJob_RemovesOnlyOurGateAndNeverTouchesSuspend(string gates, string? expected)
    {
        var job = Job();
        job.Metadata.Labels = new Dictionary<string, string> { [KueueKeys.QueueNameLabel] = "user-queue" };
        job.Metadata.Annotations[KueueKeys.AdmissionGatedBy] = gates;

        var patch = Body(JobPatch.Release(job, Released, "carbon-aware.io/deferral", null));

        Assert.Null(patch["spec"]);
        var annotations = patch["metadata"]!["annotations"]!.AsObject();
        Assert.True(annotations.ContainsKey(KueueKeys.AdmissionGatedBy));
        Assert.Equal(expected, (string?)annotations[KueueKeys.AdmissionGatedBy]);
    }

    [Fact]
    public void Pause_SuspendsAndWritesTheRecord()
    {
        var paused = Released with { State = DeferralState.Paused, Ran = TimeSpan.FromMinutes(90), Interruptions = 1 };

        var patch = Body(JobPatch.Pause(Job(), paused));

        Assert.True((bool)patch["spec"]!["suspend"]!);
        Assert.Equal("paused", (string?)patch["metadata"]!["annotations"]![CarbonAnnotations.State]);
        Assert.Equal("5400", (string?)patch["metadata"]!["annotations"]![DeferralRecord.RanAnnotation]);
    }

    [Fact]
    public void Record_IsAMergePatchOfAnnotationsOnly()
    {
        var patch = JobPatch.Record(Job(), Released with { State = DeferralState.Held });

        Assert.Equal(V1Patch.PatchType.MergePatch, patch.Type);
        Assert.Equal(["metadata"], Body(patch).Select(p => p.Key));
    }

    private static JsonObject Body(V1Patch patch) => JsonNode.Parse((string)patch.Content)!.AsObject();

    private static V1Job Job(string? resourceVersion = "7") => new()
    {
        Metadata = new V1ObjectMeta { Name = "train", NamespaceProperty = "ml", ResourceVersion = resourceVersion, Annotations = new Dictionary<string, string>() },
        Spec = new V1JobSpec { Suspend = true, Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "x" }] } } },
    };
}
