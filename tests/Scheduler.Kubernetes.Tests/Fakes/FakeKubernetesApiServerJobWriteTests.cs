using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake updates, patches and deletes batch/v1 Jobs with the API server's rules: conflicts, generation, immutability, finalizers.</summary>
public sealed class FakeKubernetesApiServerJobWriteTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
        _http = new HttpClient { BaseAddress = new Uri(_server.Host) };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Replace_FromAStaleResourceVersion_Is409ConflictAndChangesNothing()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        var read = await _client.BatchV1.ReadNamespacedJobAsync("train", "ml", cancellationToken: _timeout.Token);
        var moved = _server.UpdateJob("ml", "train", j => j.Metadata.Annotations = new Dictionary<string, string> { ["by"] = "user" });
        read.Metadata.Annotations = new Dictionary<string, string> { ["by"] = "controller" };

        var status = await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.ReplaceNamespacedJobAsync(read, "train", "ml", cancellationToken: _timeout.Token),
            409,
            "Conflict",
            "Operation cannot be fulfilled on jobs.batch \"train\": the object has been modified; please apply your changes to the latest version and try again");

        ApiAssert.DetailsName(status, "train", "batch", "jobs");
        Assert.Equal(moved, _server.ResourceVersion);
        Assert.Equal("user", _server.GetJob("ml", "train")?.Metadata.Annotations["by"]);
    }

    [Fact]
    public async Task Replace_OfAJobDeletedAndCreatedAgain_Is409OnItsUid()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        var read = await _client.BatchV1.ReadNamespacedJobAsync("train", "ml", cancellationToken: _timeout.Token);
        _server.DeleteJob("ml", "train");
        _server.AddJob(TestJobs.Job("ml", "train"));
        var uid = _server.GetJob("ml", "train")!.Metadata.Uid;
        read.Metadata.ResourceVersion = null;

        await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.ReplaceNamespacedJobAsync(read, "train", "ml", cancellationToken: _timeout.Token),
            409,
            "Conflict",
            $"Operation cannot be fulfilled on jobs.batch \"train\": Precondition failed: UID in precondition: {read.Metadata.Uid}, UID in object meta: {uid}");
    }

    [Fact]
    public async Task Replace_WithoutAResourceVersion_IsUnconditionalAndCannotChangeTheStatus()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        var read = await _client.BatchV1.ReadNamespacedJobAsync("train", "ml", cancellationToken: _timeout.Token);
        _server.UpdateJob("ml", "train", j => j.Metadata.Labels["moved"] = "on");
        read.Metadata.ResourceVersion = null;
        read.Metadata.Annotations = new Dictionary<string, string> { [TestJobs.PlannedStart] = "2025-06-01T14:00:00Z" };
        read.Status.Succeeded = 1;

        var replaced = await _client.BatchV1.ReplaceNamespacedJobAsync(read, "train", "ml", cancellationToken: _timeout.Token);

        Assert.Equal("2025-06-01T14:00:00Z", replaced.Metadata.Annotations[TestJobs.PlannedStart]);
        Assert.False(replaced.Metadata.Labels.ContainsKey("moved"));
        Assert.Null(replaced.Status.Succeeded);
        Assert.Equal(1, replaced.Metadata.Generation);
    }

    [Fact]
    public async Task Generation_MovesOnWithTheSpecOnly_AndANoOpWriteIsNotWritten()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));

        var annotated = await Merge("{\"metadata\":{\"annotations\":{\"note\":\"held\"}}}");
        var suspended = await Merge("{\"spec\":{\"suspend\":false}}");
        var again = await Merge("{\"spec\":{\"suspend\":false}}");
        var statusSet = _server.SetJobStatus("ml", "train", s => s.Active = 1);

        Assert.Equal(1, annotated.Metadata.Generation);
        Assert.Equal(2, suspended.Metadata.Generation);

        // etcd3's store skips an update that changes nothing: same resourceVersion, no watch event.
        Assert.Equal(suspended.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(2, _server.GetJob("ml", "train")?.Metadata.Generation);
        Assert.Equal(statusSet, _server.GetJob("ml", "train")?.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Template_OfASuspendedJobThatNeverStarted_TakesANodeAffinityWithTheRelease()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        var patch = "{\"spec\":{\"suspend\":false,\"template\":{\"spec\":{\"affinity\":" + KubernetesJson.Serialize(TestJobs.ZoneAffinity("eu-north-1a")) + "}}}}";

        var released = await Merge(patch);

        Assert.Equal(false, released.Spec.Suspend);
        Assert.Equal(2, released.Metadata.Generation);
        var term = Assert.Single(released.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal(["eu-north-1a"], Assert.Single(term.MatchExpressions).Values);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Template_OfARunningOrStartedJob_IsImmutable(bool suspend, bool started)
    {
        _server.AddJob(TestJobs.Job("ml", "train", suspend: suspend));
        if (started)
        {
            _server.SetJobStatus("ml", "train", s => s.StartTime = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc));
        }

        var version = _server.ResourceVersion;
        var patch = "{\"spec\":{\"template\":{\"spec\":{\"affinity\":" + KubernetesJson.Serialize(TestJobs.ZoneAffinity("eu-north-1a")) + "}}}}";

        var status = await ApiAssert.FailsWithStatusAsync(
            () => Merge(patch),
            422,
            "Invalid",
            $"Job.batch \"train\" is invalid: spec.template: Invalid value: {KubernetesJson.Serialize(_server.GetJob("ml", "train")!.Spec.Template).Replace("\"spec\":{", "\"spec\":{\"affinity\":" + KubernetesJson.Serialize(TestJobs.ZoneAffinity("eu-north-1a")) + ",", StringComparison.Ordinal)}: field is immutable");

        var cause = Assert.Single(status.GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal(("FieldValueInvalid", "spec.template"), (cause.GetProperty("reason").GetString(), cause.GetProperty("field").GetString()));
        Assert.Equal(version, _server.ResourceVersion);
    }

    [Fact]
    public async Task Delete_WithTheBatchV1Default_OrphansThePodsThroughAFinalizer()
    {
        _server.AddJob(TestJobs.Job("ml", "train", suspend: false));
        var pod = _server.AddJobPod("ml", "train", "Running");
        var from = _server.ResourceVersion;

        using var response = await _http.DeleteAsync(new Uri("/apis/batch/v1/namespaces/ml/jobs/train", UriKind.Relative), _timeout.Token);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_timeout.Token));
        var changes = await ChangesSinceAsync(from, 3);

        // The Job comes back with deletionTimestamp and the orphan finalizer; the garbage collector then
        // removes the pod's ownerReference and the finalizer, which deletes the Job.
        var metadata = answer.RootElement.GetProperty("metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Job", answer.RootElement.GetProperty("kind").GetString());
        Assert.Equal("[\"orphan\"]", metadata.GetProperty("finalizers").GetRawText());
        Assert.Equal(0, metadata.GetProperty("deletionGracePeriodSeconds").GetInt32());
        Assert.True(metadata.TryGetProperty("deletionTimestamp", out _));
        Assert.Equal(
            [("MODIFIED", "Job", "orphan"), ("MODIFIED", "Pod", string.Empty), ("DELETED", "Job", string.Empty)],
            changes.Select(c => (c.Type, c.Kind, c.Finalizers)));
        Assert.Null(_server.GetJob("ml", "train"));
        Assert.Null(_server.GetPod("ml", pod.Metadata.Name)?.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Delete_InTheBackground_IsAtOnceAndDeletesThePods()
    {
        _server.AddJob(TestJobs.Job("ml", "train", suspend: false));
        var uid = _server.GetJob("ml", "train")!.Metadata.Uid;
        _server.AddJobPod("ml", "train", "Running");

        var answer = await _client.BatchV1.DeleteNamespacedJobAsync("train", "ml", propagationPolicy: "Background", cancellationToken: _timeout.Token);

        Assert.Equal(("Status", "Success", "train", "batch", "jobs", uid), (answer.Kind, answer.Status, answer.Details.Name, answer.Details.Group, answer.Details.Kind, answer.Details.Uid));
        Assert.Empty(_server.ListJobs());
        Assert.Empty(_server.ListPods());
    }

    [Fact]
    public async Task Delete_WithAStalePrecondition_Is409()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        var read = _server.GetJob("ml", "train")!;
        var current = _server.UpdateJob("ml", "train", j => j.Metadata.Labels["x"] = "y");
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = read.Metadata.ResourceVersion } };

        await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.DeleteNamespacedJobAsync("train", "ml", options, cancellationToken: _timeout.Token),
            409,
            "Conflict",
            $"Operation cannot be fulfilled on jobs.batch \"train\": Precondition failed: ResourceVersion in precondition: {read.Metadata.ResourceVersion}, ResourceVersion in object meta: {current}");
        Assert.NotNull(_server.GetJob("ml", "train"));
    }

    [Fact]
    public async Task CompleteJob_SetsTheStatusTheJobControllerWrites()
    {
        _server.TimeProvider = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 15, 30, 0, 250, TimeSpan.Zero));
        _server.AddJob(TestJobs.Job("ml", "train", suspend: false));
        var from = _server.ResourceVersion;

        var version = _server.CompleteJob("ml", "train");
        var job = await _client.BatchV1.ReadNamespacedJobAsync("train", "ml", cancellationToken: _timeout.Token);

        var at = new DateTime(2025, 6, 1, 15, 30, 0, DateTimeKind.Utc);
        Assert.Equal(version, job.Metadata.ResourceVersion);
        Assert.Equal((1, at, at), (job.Status.Succeeded, job.Status.StartTime, job.Status.CompletionTime));
        Assert.Equal(["SuccessCriteriaMet", "Complete"], job.Status.Conditions.Select(c => c.Type));
        Assert.All(job.Status.Conditions, c => Assert.Equal(("True", "CompletionsReached", at), (c.Status, c.Reason, c.LastTransitionTime)));
        Assert.Equal(1, job.Metadata.Generation);
        Assert.Equal([("MODIFIED", "Job", string.Empty)], (await ChangesSinceAsync(from, 1)).Select(c => (c.Type, c.Kind, c.Finalizers)));
    }

    [Fact]
    public async Task FailNextRequests_FailsTheNextJobPatchOnly()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        _server.FailNextRequests(ApiRequestKind.JobPatch, HttpStatusCode.ServiceUnavailable, message: "etcdserver: leader changed");

        await _client.BatchV1.ReadNamespacedJobAsync("train", "ml", cancellationToken: _timeout.Token);
        await ApiAssert.FailsWithStatusAsync(() => Merge("{\"spec\":{\"suspend\":false}}"), 503, "ServiceUnavailable", "etcdserver: leader changed");
        var patched = await Merge("{\"spec\":{\"suspend\":false}}");

        Assert.Equal(false, patched.Spec.Suspend);
        Assert.Equal([ApiRequestKind.JobGet, ApiRequestKind.JobPatch, ApiRequestKind.JobPatch], _server.Requests.Select(r => r.Kind));
        Assert.Equal(("ml", "train", "application/merge-patch+json; charset=utf-8"), (_server.Requests[2].Namespace, _server.Requests[2].Name, _server.Requests[2].ContentType));
    }

    private Task<V1Job> Merge(string patch) =>
        _client.BatchV1.PatchNamespacedJobAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "train", "ml", cancellationToken: _timeout.Token);

    private async Task<List<(string Type, string Kind, string Finalizers)>> ChangesSinceAsync(string from, int count)
    {
        // Every change, of any kind, through raw watches of jobs and pods (open together, each ended by its timeout) merged by resourceVersion.
        var lines = await Task.WhenAll(new[] { "/apis/batch/v1/jobs", "/api/v1/pods" }.Select(async path =>
        {
            using var response = await _http.GetAsync(new Uri($"{path}?watch=true&resourceVersion={from}&timeoutSeconds=1", UriKind.Relative), _timeout.Token);
            return (await response.Content.ReadAsStringAsync(_timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }));
        var changes = new List<(long Version, string Type, string Kind, string Finalizers)>();
        foreach (var line in lines.SelectMany(l => l))
        {
            using var json = JsonDocument.Parse(line);
            var obj = json.RootElement.GetProperty("object");
            var metadata = obj.GetProperty("metadata");
            var finalizers = metadata.TryGetProperty("finalizers", out var f) ? string.Join(',', f.EnumerateArray().Select(e => e.GetString())) : string.Empty;
            changes.Add((long.Parse(metadata.GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("type").GetString()!, obj.GetProperty("kind").GetString()!, finalizers));
        }

        Assert.Equal(count, changes.Count);
        return [.. changes.OrderBy(c => c.Version).Select(c => (c.Type, c.Kind, c.Finalizers))];
    }
}
