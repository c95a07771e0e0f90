using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The faults the fake injects answer as the API server does: a watch ended between two watches while the
/// history was compacted, and a request throttled by priority and fairness.
/// </summary>
public sealed class FakeKubernetesApiServerFaultTests : IAsyncLifetime, IDisposable
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
    public async Task EndWatchesAndExpireHistory_OpenWatchEndsCleanlyAndItsReWatchGetsA410()
    {
        var from = _server.ResourceVersion;
        Exception? firstError = null;
        var watch = _client.BatchV1.WatchListNamespacedJobAsync("ml", resourceVersion: from, onError: e => firstError = e, cancellationToken: _timeout.Token);
        await using var events = watch.GetAsyncEnumerator(_timeout.Token);
        var added = _server.AddJob(TestJobs.Job("ml", "train"));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((WatchEventType.Added, added), (events.Current.Item1, events.Current.Item2.Metadata.ResourceVersion));

        _server.EndWatchesAndExpireHistory();

        // The open watch ends as at timeoutSeconds: no ERROR event, just the end of the stream.
        Assert.False(await events.MoveNextAsync());
        Assert.Null(firstError);
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 0, "the watch is closed");

        // Its re-watch from the last resourceVersion it saw is too old now.
        using var response = await _http.GetAsync(
            new Uri($"/apis/batch/v1/namespaces/ml/jobs?watch=true&resourceVersion={added}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead,
            _timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_timeout.Token));
        using var line = JsonDocument.Parse(await reader.ReadLineAsync(_timeout.Token) ?? "null");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ERROR", line.RootElement.GetProperty("type").GetString());
        var status = line.RootElement.GetProperty("object");
        Assert.Equal(("Status", "Failure", "Expired", 410), (
            status.GetProperty("kind").GetString(),
            status.GetProperty("status").GetString(),
            status.GetProperty("reason").GetString(),
            status.GetProperty("code").GetInt32()));
        Assert.StartsWith($"too old resource version: {added} (", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await reader.ReadLineAsync(_timeout.Token));

        // A list still works and gives a resourceVersion a watch can start from.
        var list = await _client.BatchV1.ListNamespacedJobAsync("ml", cancellationToken: _timeout.Token);
        Assert.Equal("train", Assert.Single(list.Items).Metadata.Name);
        var resumed = _client.BatchV1.WatchListNamespacedJobAsync("ml", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: _timeout.Token);
        await using var resumedEvents = resumed.GetAsyncEnumerator(_timeout.Token);
        var completed = _server.CompleteJob("ml", "train");
        Assert.True(await resumedEvents.MoveNextAsync());
        Assert.Equal((WatchEventType.Modified, completed), (resumedEvents.Current.Item1, resumedEvents.Current.Item2.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ThrottleNextRequests_AnswersTheNextPatchesWith429AndRetryAfter()
    {
        _server.AddJob(TestJobs.Job("ml", "train"));
        _server.ThrottleNextRequests(ApiRequestKind.JobPatch, times: 2, retryAfterSeconds: 3);

        var patch = new V1Patch("{\"spec\":{\"suspend\":false}}", V1Patch.PatchType.MergePatch);
        var first = await Assert.ThrowsAsync<HttpOperationException>(() => _client.BatchV1.PatchNamespacedJobAsync(patch, "train", "ml", cancellationToken: _timeout.Token));
        await Assert.ThrowsAsync<HttpOperationException>(() => _client.BatchV1.PatchNamespacedJobAsync(patch, "train", "ml", cancellationToken: _timeout.Token));
        var patched = await _client.BatchV1.PatchNamespacedJobAsync(patch, "train", "ml", cancellationToken: _timeout.Token);

        Assert.Equal((HttpStatusCode)429, first.Response.StatusCode);
        Assert.Equal("3", Assert.Single(first.Response.Headers["Retry-After"]));
        using var status = JsonDocument.Parse(first.Response.Content);
        Assert.Equal(("Failure", "TooManyRequests", "Too many requests, please try again later.", 3, 429), (
            status.RootElement.GetProperty("status").GetString(),
            status.RootElement.GetProperty("reason").GetString(),
            status.RootElement.GetProperty("message").GetString(),
            status.RootElement.GetProperty("details").GetProperty("retryAfterSeconds").GetInt32(),
            status.RootElement.GetProperty("code").GetInt32()));
        Assert.Equal(false, patched.Spec.Suspend);
    }
}
