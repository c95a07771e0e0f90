using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake applies the three patch types the API server accepts for Jobs, through the real client, with the API server's answers.</summary>
public sealed class FakeKubernetesApiServerPatchTests : IAsyncLifetime, IDisposable
{
    private const string NotApplied = "the server rejected our request due to an error in our request";
    private const string PlannedStartPointer = "/metadata/annotations/carbon-aware.io~1planned-start";

    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
        _server.AddJob(TestJobs.Job("ml", "train", annotations: new Dictionary<string, string> { [TestJobs.PlannedStart] = "2025-06-01T10:00:00Z" }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task JsonPatch_WithEscapedAnnotationKeys_TestsReplacesAddsAndRemoves()
    {
        var patched = await PatchAsync(V1Patch.PatchType.JsonPatch, $$"""
            [
              {"op":"test","path":"{{PlannedStartPointer}}","value":"2025-06-01T10:00:00Z"},
              {"op":"replace","path":"{{PlannedStartPointer}}","value":"2025-06-01T14:00:00Z"},
              {"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"},
              {"op":"add","path":"/metadata/annotations/odd~0key","value":"tilde"}
            ]
            """);
        var removed = await PatchAsync(V1Patch.PatchType.JsonPatch, """[{"op":"remove","path":"/metadata/annotations/carbon-aware.io~1state"}]""");

        Assert.Equal("2025-06-01T14:00:00Z", patched.Metadata.Annotations[TestJobs.PlannedStart]);
        Assert.Equal(("held", "tilde"), (patched.Metadata.Annotations["carbon-aware.io/state"], patched.Metadata.Annotations["odd~key"]));
        Assert.Equal(1, patched.Metadata.Generation);
        Assert.False(removed.Metadata.Annotations.ContainsKey("carbon-aware.io/state"));
        Assert.Equal("application/json-patch+json; charset=utf-8", _server.RequestsOf(ApiRequestKind.JobPatch)[0].ContentType);
    }

    [Theory]
    [InlineData($$"""[{"op":"test","path":"{{PlannedStartPointer}}","value":"2025-06-01T11:00:00Z"},{"op":"replace","path":"/spec/suspend","value":false}]""")]
    [InlineData("""[{"op":"test","path":"/metadata/resourceVersion","value":"1"},{"op":"replace","path":"/spec/suspend","value":false}]""")]
    [InlineData("""[{"op":"replace","path":"/metadata/labels/absent","value":"x"}]""")]
    [InlineData("""[{"op":"remove","path":"/metadata/finalizers"}]""")]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/affinity/nodeAffinity","value":{}}]""")]
    public async Task JsonPatch_ThatDoesNotApply_IsTheApiServersGeneric422AndChangesNothing(string patch)
    {
        var version = _server.ResourceVersion;

        var status = await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.JsonPatch, patch), 422, "Invalid", NotApplied);

        // NewGenericServerResponse drops the json-patch error: the details are empty whatever failed.
        Assert.Equal("{}", status.GetProperty("details").GetRawText());
        Assert.Equal(version, _server.ResourceVersion);
        Assert.Equal(true, _server.GetJob("ml", "train")?.Spec.Suspend);
    }

    [Fact]
    public async Task JsonPatch_AnnotationUnderAJobWithoutAnnotations_NeedsTheMapAddedFirst()
    {
        _server.AddJob(TestJobs.Job("ml", "bare"));
        const string Add = """{"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"}""";

        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.JsonPatch, $"[{Add}]", "bare"), 422, "Invalid", NotApplied);
        var patched = await PatchAsync(V1Patch.PatchType.JsonPatch, """[{"op":"add","path":"/metadata/annotations","value":{}},""" + Add + "]", "bare");

        Assert.Equal("held", patched.Metadata.Annotations["carbon-aware.io/state"]);
    }

    [Theory]
    [InlineData("""{"op":"add"}""", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")]
    [InlineData("[1]", "json: cannot unmarshal value into Go value of type jsonpatch.Operation")]
    public async Task JsonPatch_NotAListOfOperations_Is400(string patch, string message)
    {
        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.JsonPatch, patch), 400, "BadRequest", message);
    }

    [Fact]
    public async Task MergePatch_NamingAStaleResourceVersion_Is409WithTheApiMessage()
    {
        var read = _server.GetJob("ml", "train")!;
        _server.SetJobStatus("ml", "train", s => s.Active = 0);
        var patch = "{\"metadata\":{\"resourceVersion\":\"" + read.Metadata.ResourceVersion + "\",\"annotations\":{\"" + TestJobs.PlannedStart + "\":null}},\"spec\":{\"suspend\":false}}";

        var status = await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.MergePatch, patch),
            409,
            "Conflict",
            "Operation cannot be fulfilled on jobs.batch \"train\": the object has been modified; please apply your changes to the latest version and try again");
        var current = _server.GetJob("ml", "train")!;
        var applied = await PatchAsync(V1Patch.PatchType.MergePatch, patch.Replace(read.Metadata.ResourceVersion, current.Metadata.ResourceVersion, StringComparison.Ordinal));

        ApiAssert.DetailsName(status, "train", "batch", "jobs");
        Assert.Equal(true, current.Spec.Suspend);
        Assert.Equal(false, applied.Spec.Suspend);
        Assert.Null(applied.Metadata.Annotations);
        Assert.Equal(2, applied.Metadata.Generation);
    }

    [Theory]
    [InlineData(V1Patch.PatchType.JsonPatch, """[{"op":"replace","path":"/metadata/resourceVersion","value":"STALE"},{"op":"replace","path":"/spec/suspend","value":false}]""")]
    [InlineData(V1Patch.PatchType.MergePatch, """{"metadata":{"resourceVersion":"STALE"},"spec":{"suspend":false}}""")]
    [InlineData(V1Patch.PatchType.StrategicMergePatch, """{"metadata":{"resourceVersion":"STALE"},"spec":{"suspend":false}}""")]
    public async Task Patch_OfEveryType_NamingAStaleResourceVersion_Is409(V1Patch.PatchType type, string patch)
    {
        var stale = _server.ResourceVersion;
        var current = _server.UpdateJob("ml", "train", j => j.Metadata.Labels["moved"] = "on");

        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(type, patch.Replace("STALE", stale, StringComparison.Ordinal)),
            409,
            "Conflict",
            "Operation cannot be fulfilled on jobs.batch \"train\": the object has been modified; please apply your changes to the latest version and try again");
        var applied = await PatchAsync(type, patch.Replace("STALE", current, StringComparison.Ordinal));

        Assert.Equal(false, applied.Spec.Suspend);
    }

    [Fact]
    public async Task MergePatch_WhoseResultIsNotAJob_Is422Invalid()
    {
        var status = await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.MergePatch, """{"spec":{"suspend":"later"}}"""), 422, "Invalid");

        // NewInvalid with an empty kind and name, and one error on the field "patch" that shows the patched JSON.
        Assert.StartsWith(" \"\" is invalid: patch: Invalid value: \"{", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("\\\"suspend\\\":\\\"later\\\"", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        var cause = Assert.Single(status.GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal(("FieldValueInvalid", "patch"), (cause.GetProperty("reason").GetString(), cause.GetProperty("field").GetString()));
        Assert.False(status.GetProperty("details").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task MergePatch_RenamingTheJob_Is400()
    {
        await ApiAssert.FailsWithStatusAsync(
            () => PatchAsync(V1Patch.PatchType.MergePatch, """{"metadata":{"name":"other"}}"""),
            400,
            "BadRequest",
            "the name of the object (other) does not match the name on the URL (train)");
    }

    [Fact]
    public async Task StrategicMergePatch_MergesMetadataMapsAndReplacesTheAffinityTerms()
    {
        _server.UpdateJob("ml", "train", j => j.Spec.Template.Spec.Affinity = TestJobs.ZoneAffinity("eu-north-1a", "eu-north-1b"));
        var patch = """
            {
              "metadata": {"labels": {"carbon-aware.io/zone": "SE-SE1"}, "annotations": {"carbon-aware.io/planned-start": null, "carbon-aware.io/state": "released"}},
              "spec": {"suspend": false, "template": {"spec": {"affinity": AFFINITY}}}
            }
            """.Replace("AFFINITY", KubernetesJson.Serialize(TestJobs.ZoneAffinity("eu-north-1c")), StringComparison.Ordinal);

        var patched = await PatchAsync(V1Patch.PatchType.StrategicMergePatch, patch);

        Assert.Equal("SE-SE1", patched.Metadata.Labels["carbon-aware.io/zone"]);
        Assert.Equal("train", patched.Metadata.Labels["job-name"]);
        Assert.Equal(new Dictionary<string, string> { ["carbon-aware.io/state"] = "released" }, patched.Metadata.Annotations);
        var term = Assert.Single(patched.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal(["eu-north-1c"], Assert.Single(term.MatchExpressions).Values);
        Assert.Equal((false, 3L), (patched.Spec.Suspend, patched.Metadata.Generation!.Value));
        Assert.Equal("application/strategic-merge-patch+json; charset=utf-8", _server.RequestsOf(ApiRequestKind.JobPatch)[0].ContentType);
    }

    [Fact]
    public async Task Patch_OfAnotherContentType_Is415()
    {
        const string Accepted = "the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json";
        using var http = new HttpClient { BaseAddress = new Uri(_server.Host) };
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri("/apis/batch/v1/namespaces/ml/jobs/train", UriKind.Relative))
        {
            Content = new StringContent("""{"spec":{"suspend":false}}""", Encoding.UTF8, "application/json"),
        };

        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.ApplyPatch, "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\"}"), 415, "UnsupportedMediaType", Accepted);
        using var response = await http.SendAsync(request, _timeout.Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(true, _server.GetJob("ml", "train")?.Spec.Suspend);
    }

    [Fact]
    public async Task Patch_OfAMissingJob_Is404()
    {
        await ApiAssert.FailsWithStatusAsync(() => PatchAsync(V1Patch.PatchType.MergePatch, "{}", "nope"), 404, "NotFound", "jobs.batch \"nope\" not found");
    }

    private Task<V1Job> PatchAsync(V1Patch.PatchType type, string patch, string name = "train") =>
        _client.BatchV1.PatchNamespacedJobAsync(new V1Patch(patch, type), name, "ml", cancellationToken: _timeout.Token);
}
