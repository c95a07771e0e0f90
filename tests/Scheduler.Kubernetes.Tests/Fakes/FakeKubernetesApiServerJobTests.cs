using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake creates, lists, watches and reads batch/v1 Jobs as the API server does, so a controller's tests against it mean something.</summary>
public sealed class FakeKubernetesApiServerJobTests : IAsyncLifetime, IDisposable
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
    public async Task Create_ThroughTheClient_FillsInWhatTheApiServerDoes()
    {
        _server.TimeProvider = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 700, TimeSpan.Zero));
        var before = long.Parse(_server.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

        var created = await _client.BatchV1.CreateNamespacedJobAsync(TestJobs.Job("ml", "train", suspend: null), "ml", cancellationToken: _timeout.Token);

        var uid = created.Metadata.Uid;
        Assert.True(Guid.TryParse(uid, out _));
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc), created.Metadata.CreationTimestamp);
        Assert.Equal(false, created.Spec.Suspend);
        Assert.Equal((1, 1, 6), (created.Spec.Completions, created.Spec.Parallelism, created.Spec.BackoffLimit));
        Assert.Equal(("NonIndexed", "TerminatingOrFailed"), (created.Spec.CompletionMode, created.Spec.PodReplacementPolicy));
        Assert.Equal(new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = uid }, created.Spec.Selector.MatchLabels);
        var podLabels = new Dictionary<string, string>
        {
            ["batch.kubernetes.io/controller-uid"] = uid,
            ["batch.kubernetes.io/job-name"] = "train",
            ["controller-uid"] = uid,
            ["job-name"] = "train",
        };
        Assert.Equal(podLabels, created.Spec.Template.Metadata.Labels);
        Assert.Equal(podLabels, created.Metadata.Labels);
        Assert.Equal(("ClusterFirst", "default-scheduler", 30L), (created.Spec.Template.Spec.DnsPolicy, created.Spec.Template.Spec.SchedulerName, created.Spec.Template.Spec.TerminationGracePeriodSeconds));
        Assert.Equal("IfNotPresent", Assert.Single(created.Spec.Template.Spec.Containers).ImagePullPolicy);
        Assert.Null(created.Status.Active);
        Assert.Null(created.Status.StartTime);
        Assert.Equal(created.Metadata.ResourceVersion, _server.GetJob("ml", "train")?.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Create_Json_Is201WithTheJobAsTheApiServerWritesIt()
    {
        using var body = new StringContent("{\"metadata\":{\"name\":\"train\"},\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}},\"status\":{\"active\":3}}");
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _http.PostAsync(new Uri("/apis/batch/v1/namespaces/ml/jobs", UriKind.Relative), body, _timeout.Token);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_timeout.Token));
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["kind", "apiVersion", "metadata", "spec", "status"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Job", "batch/v1"), (root.GetProperty("kind").GetString(), root.GetProperty("apiVersion").GetString()));
        Assert.Equal("ml", root.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal("Always", root.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("imagePullPolicy").GetString());

        // A new Job's status is the Job controller's to write, so the one sent is dropped.
        Assert.Equal("{}", root.GetProperty("status").GetRawText());
    }

    [Fact]
    public async Task Create_Errors_AreTheApiServersStatuses()
    {
        await _client.BatchV1.CreateNamespacedJobAsync(TestJobs.Job("ml", "train"), "ml", cancellationToken: _timeout.Token);
        var withVersion = TestJobs.Job("ml", "other");
        withVersion.Metadata.ResourceVersion = "5";
        var noRestartPolicy = TestJobs.Job("ml", "bad");
        noRestartPolicy.Spec.Template.Spec.RestartPolicy = null;

        var exists = await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.CreateNamespacedJobAsync(TestJobs.Job("ml", "train"), "ml", cancellationToken: _timeout.Token),
            409,
            "AlreadyExists",
            "jobs.batch \"train\" already exists");
        await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.CreateNamespacedJobAsync(TestJobs.Job("web", "train"), "ml", cancellationToken: _timeout.Token),
            400,
            "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");
        await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.CreateNamespacedJobAsync(withVersion, "ml", cancellationToken: _timeout.Token),
            500,
            null,
            "resourceVersion should not be set on objects to be created");
        var invalid = await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.CreateNamespacedJobAsync(noRestartPolicy, "ml", cancellationToken: _timeout.Token),
            422,
            "Invalid",
            "Job.batch \"bad\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");

        ApiAssert.DetailsName(exists, "train", "batch", "jobs");
        var cause = Assert.Single(invalid.GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal(("FieldValueNotSupported", "spec.template.spec.restartPolicy"), (cause.GetProperty("reason").GetString(), cause.GetProperty("field").GetString()));
        Assert.Equal("Job", invalid.GetProperty("details").GetProperty("kind").GetString());
        Assert.Single(_server.ListJobs());
    }

    [Fact]
    public async Task List_AcrossNamespaces_PagesThroughOneSnapshotInNamespaceThenNameOrder()
    {
        foreach (var (ns, name) in new[] { ("web", "b"), ("ml", "z"), ("ml", "a"), ("web", "a"), ("batch", "x") })
        {
            _server.AddJob(TestJobs.Job(ns, name));
        }

        var version = _server.ResourceVersion;
        var first = await _client.BatchV1.ListJobForAllNamespacesAsync(limit: 2, cancellationToken: _timeout.Token);
        _server.DeleteJob("web", "b");
        _server.AddJob(TestJobs.Job("aaa", "new"));
        var second = await _client.BatchV1.ListJobForAllNamespacesAsync(limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: _timeout.Token);
        var third = await _client.BatchV1.ListJobForAllNamespacesAsync(limit: 2, continueParameter: second.Metadata.ContinueProperty, cancellationToken: _timeout.Token);
        var now = await _client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: _timeout.Token);

        Assert.Equal((3L, 1L), (first.Metadata.RemainingItemCount!.Value, second.Metadata.RemainingItemCount!.Value));
        Assert.All([first, second, third], page => Assert.Equal(version, page.Metadata.ResourceVersion));
        Assert.Null(third.Metadata.ContinueProperty);
        Assert.Null(third.Metadata.RemainingItemCount);
        Assert.Equal(
            ["batch/x", "ml/a", "ml/z", "web/a", "web/b"],
            first.Items.Concat(second.Items).Concat(third.Items).Select(j => $"{j.Metadata.NamespaceProperty}/{j.Metadata.Name}"));
        Assert.Equal(["aaa/new", "batch/x", "ml/a", "ml/z", "web/a"], now.Items.Select(j => $"{j.Metadata.NamespaceProperty}/{j.Metadata.Name}"));
        Assert.Equal(_server.ResourceVersion, now.Metadata.ResourceVersion);
        Assert.All(_server.RequestsOf(ApiRequestKind.JobList), r => Assert.Equal("/apis/batch/v1/jobs", r.Path));
    }

    [Fact]
    public async Task List_InANamespaceWithALabelSelector_PagesOnlyMatchingJobs()
    {
        _server.AddJob(TestJobs.Job("ml", "a", labels: new Dictionary<string, string> { ["team"] = "vision" }));
        _server.AddJob(TestJobs.Job("ml", "b", labels: new Dictionary<string, string> { ["team"] = "speech" }));
        _server.AddJob(TestJobs.Job("ml", "c", labels: new Dictionary<string, string> { ["team"] = "vision" }));
        _server.AddJob(TestJobs.Job("web", "d", labels: new Dictionary<string, string> { ["team"] = "vision" }));

        var first = await _client.BatchV1.ListNamespacedJobAsync("ml", labelSelector: "team=vision", limit: 1, cancellationToken: _timeout.Token);
        var second = await _client.BatchV1.ListNamespacedJobAsync("ml", labelSelector: "team=vision", limit: 1, continueParameter: first.Metadata.ContinueProperty, cancellationToken: _timeout.Token);
        var notIn = await _client.BatchV1.ListNamespacedJobAsync("ml", labelSelector: "team notin (vision)", cancellationToken: _timeout.Token);

        Assert.Equal("a", Assert.Single(first.Items).Metadata.Name);
        Assert.NotNull(first.Metadata.ContinueProperty);

        // With a selector the API server cannot count what remains.
        Assert.Null(first.Metadata.RemainingItemCount);
        Assert.Equal("c", Assert.Single(second.Items).Metadata.Name);
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal("b", Assert.Single(notIn.Items).Metadata.Name);
        var request = _server.RequestsOf(ApiRequestKind.JobList)[0];
        Assert.Equal(("/apis/batch/v1/namespaces/ml/jobs", "ml", "team=vision"), (request.Path, request.Namespace, request.LabelSelector));
    }

    [Fact]
    public async Task List_ContinueAfterTheHistoryExpired_Is410Expired()
    {
        _server.AddJob(TestJobs.Job("ml", "a"));
        _server.AddJob(TestJobs.Job("ml", "b"));
        var first = await _client.BatchV1.ListNamespacedJobAsync("ml", limit: 1, cancellationToken: _timeout.Token);

        _server.ExpireHistory();

        var status = await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.ListNamespacedJobAsync("ml", limit: 1, continueParameter: first.Metadata.ContinueProperty, cancellationToken: _timeout.Token),
            410,
            "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
            + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
            + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        Assert.False(status.TryGetProperty("details", out _));
    }

    [Fact]
    public async Task Watch_AllNamespaces_ReplaysFromTheVersionThenStreamsChangesAndBookmarks()
    {
        _server.AddJob(TestJobs.Job("ml", "before"));
        var from = _server.ResourceVersion;
        var added = _server.AddJob(TestJobs.Job("ml", "train"));

        var events = _client.BatchV1.WatchListJobForAllNamespacesAsync(resourceVersion: from, allowWatchBookmarks: true, timeoutSeconds: 300, cancellationToken: _timeout.Token);
        await using var watch = events.GetAsyncEnumerator(_timeout.Token);

        var (type, job) = await ApiAssert.NextAsync(watch);
        Assert.Equal((WatchEventType.Added, "ml/train", added), (type, $"{job.Metadata.NamespaceProperty}/{job.Metadata.Name}", job.Metadata.ResourceVersion));

        var other = _server.AddJob(TestJobs.Job("web", "site"));
        (type, job) = await ApiAssert.NextAsync(watch);
        Assert.Equal((WatchEventType.Added, "web/site", other), (type, $"{job.Metadata.NamespaceProperty}/{job.Metadata.Name}", job.Metadata.ResourceVersion));

        var released = await _client.BatchV1.PatchNamespacedJobAsync(new V1Patch("{\"spec\":{\"suspend\":false}}", V1Patch.PatchType.MergePatch), "train", "ml", cancellationToken: _timeout.Token);
        (type, job) = await ApiAssert.NextAsync(watch);
        Assert.Equal((WatchEventType.Modified, false, 2L, released.Metadata.ResourceVersion), (type, job.Spec.Suspend, job.Metadata.Generation, job.Metadata.ResourceVersion));

        var bookmark = _server.SendBookmark();
        (type, job) = await ApiAssert.NextAsync(watch);
        Assert.Equal((WatchEventType.Bookmark, bookmark), (type, job.Metadata.ResourceVersion));

        var deleted = _server.DeleteJob("web", "site");
        (type, job) = await ApiAssert.NextAsync(watch);
        Assert.Equal((WatchEventType.Deleted, "site", deleted), (type, job.Metadata.Name, job.Metadata.ResourceVersion));

        var request = Assert.Single(_server.RequestsOf(ApiRequestKind.JobWatch));
        Assert.Equal(("/apis/batch/v1/jobs", from, true, 300), (request.Path, request.ResourceVersion, request.AllowWatchBookmarks, request.TimeoutSeconds));
    }

    [Fact]
    public async Task Watch_InANamespaceWithALabelSelector_SeesJobsEnterAndLeaveIt()
    {
        var from = _server.ResourceVersion;
        _server.AddJob(TestJobs.Job("web", "elsewhere", labels: new Dictionary<string, string> { ["team"] = "vision" }));
        _server.AddJob(TestJobs.Job("ml", "train", labels: new Dictionary<string, string> { ["team"] = "vision" }));

        var events = _client.BatchV1.WatchListNamespacedJobAsync("ml", resourceVersion: from, labelSelector: "team=vision", cancellationToken: _timeout.Token);
        await using var watch = events.GetAsyncEnumerator(_timeout.Token);

        Assert.Equal((WatchEventType.Added, "train"), Describe(await ApiAssert.NextAsync(watch)));
        var left = _server.UpdateJob("ml", "train", j => j.Metadata.Labels["team"] = "speech");
        var (type, job) = await ApiAssert.NextAsync(watch);

        // The watch cache tells a watcher that an object left its selection with a DELETED of the previous state at the new version.
        Assert.Equal((WatchEventType.Deleted, "vision", left), (type, job.Metadata.Labels["team"], job.Metadata.ResourceVersion));
        _server.UpdateJob("ml", "train", j => j.Metadata.Labels["team"] = "vision");
        Assert.Equal((WatchEventType.Added, "train"), Describe(await ApiAssert.NextAsync(watch)));
    }

    [Fact]
    public async Task Watch_FromAnExpiredVersion_EndsWithA410TheClientReports()
    {
        var from = _server.ResourceVersion;
        _server.AddJob(TestJobs.Job("ml", "train"));
        _server.ExpireHistory();
        Exception? error = null;

        var events = _client.BatchV1.WatchListJobForAllNamespacesAsync(resourceVersion: from, onError: e => error = e, cancellationToken: _timeout.Token);
        var received = 0;
        await foreach (var unused in events)
        {
            received++;
        }

        Assert.Equal(0, received);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));
        Assert.StartsWith($"too old resource version: {from} (", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Missing_Is404NamingTheJob()
    {
        var status = await ApiAssert.FailsWithStatusAsync(
            () => _client.BatchV1.ReadNamespacedJobAsync("nope", "ml", cancellationToken: _timeout.Token),
            404,
            "NotFound",
            "jobs.batch \"nope\" not found");

        ApiAssert.DetailsName(status, "nope", "batch", "jobs");
    }

    private static (WatchEventType, string) Describe((WatchEventType Type, V1Job Job) e) => (e.Type, e.Job.Metadata.Name);
}
