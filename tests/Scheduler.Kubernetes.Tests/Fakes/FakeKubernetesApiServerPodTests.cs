using k8s;
using k8s.Models;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake lists, watches and gets pods, so a controller can find a Job's pods by the labels the API server gives them; only tests create them.</summary>
public sealed class FakeKubernetesApiServerPodTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
        _server.AddJob(TestJobs.Job("ml", "train", suspend: false));
        _server.AddJob(TestJobs.Job("ml", "eval", suspend: false));
        _server.AddJob(TestJobs.Job("web", "train", suspend: false));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task List_ByTheJobNameLabels_FindsTheJobsPods()
    {
        var first = _server.AddJobPod("ml", "train", "Failed");
        var second = _server.AddJobPod("ml", "train", "Running");
        _server.AddJobPod("ml", "eval", "Running");
        _server.AddJobPod("web", "train", "Running");

        var legacy = await _client.CoreV1.ListNamespacedPodAsync("ml", labelSelector: "job-name=train", cancellationToken: _timeout.Token);
        var current = await _client.CoreV1.ListNamespacedPodAsync("ml", labelSelector: "batch.kubernetes.io/job-name=train", cancellationToken: _timeout.Token);
        var everywhere = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "job-name=train", cancellationToken: _timeout.Token);
        var running = await _client.CoreV1.ListNamespacedPodAsync("ml", labelSelector: "job-name=train", fieldSelector: "status.phase=Running", cancellationToken: _timeout.Token);
        var byUid = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: $"batch.kubernetes.io/controller-uid={_server.GetJob("ml", "train")!.Metadata.Uid}", cancellationToken: _timeout.Token);

        var expected = new[] { first.Metadata.Name, second.Metadata.Name }.Order(StringComparer.Ordinal);
        Assert.Equal(expected, legacy.Items.Select(p => p.Metadata.Name));
        Assert.Equal(expected, current.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["ml", "ml", "web"], everywhere.Items.Select(p => p.Metadata.NamespaceProperty));
        Assert.Equal(second.Metadata.Name, Assert.Single(running.Items).Metadata.Name);
        Assert.Equal(2, byUid.Items.Count);
        Assert.StartsWith("train-", first.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(11, first.Metadata.Name.Length);
        var owner = Assert.Single(first.Metadata.OwnerReferences);
        Assert.Equal(("Job", "train", _server.GetJob("ml", "train")!.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal("/api/v1/namespaces/ml/pods", _server.RequestsOf(ApiRequestKind.PodList)[0].Path);
    }

    [Fact]
    public async Task Get_OnePod_AndCreatesAreNotServed()
    {
        var pod = _server.AddJobPod("ml", "train", podName: "train-abcde");

        var read = await _client.CoreV1.ReadNamespacedPodAsync("train-abcde", "ml", cancellationToken: _timeout.Token);
        await ApiAssert.FailsWithStatusAsync(
            () => _client.CoreV1.ReadNamespacedPodAsync("train-zzzzz", "ml", cancellationToken: _timeout.Token), 404, "NotFound", "pods \"train-zzzzz\" not found");
        await ApiAssert.FailsWithStatusAsync(
            () => _client.CoreV1.CreateNamespacedPodAsync(pod, "ml", cancellationToken: _timeout.Token), 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

        Assert.Equal(("Pod", "v1", "Pending"), (read.Kind, read.ApiVersion, read.Status.Phase));
        Assert.Equal(pod.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(ApiRequestKind.Other, _server.Requests[^1].Kind);
    }

    [Fact]
    public async Task Watch_ByLabel_SeesPhasesAndTheGarbageCollectorDeletingPods()
    {
        var from = _server.ResourceVersion;
        var pod = _server.AddJobPod("ml", "train");
        _server.AddJobPod("ml", "eval");

        var events = _client.CoreV1.WatchListNamespacedPodAsync("ml", resourceVersion: from, labelSelector: "job-name=train", cancellationToken: _timeout.Token);
        await using var watch = events.GetAsyncEnumerator(_timeout.Token);

        Assert.Equal((WatchEventType.Added, "Pending"), Describe(await ApiAssert.NextAsync(watch)));
        _server.UpdatePod("ml", pod.Metadata.Name, p => p.Status.Phase = "Running");
        Assert.Equal((WatchEventType.Modified, "Running"), Describe(await ApiAssert.NextAsync(watch)));
        _server.DeleteJob("ml", "train");
        Assert.Equal((WatchEventType.Deleted, "Running"), Describe(await ApiAssert.NextAsync(watch)));
        Assert.Single(_server.ListPods("ml"));
    }

    private static (WatchEventType, string) Describe((WatchEventType Type, V1Pod Pod) e) => (e.Type, e.Pod.Status.Phase);
}
