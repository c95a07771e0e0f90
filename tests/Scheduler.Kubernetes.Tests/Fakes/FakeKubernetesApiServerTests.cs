using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The fake answers as the API server does, so the watcher's tests mean something.</summary>
public sealed class FakeKubernetesApiServerTests : IAsyncLifetime, IDisposable
{
    private FakeKubernetesApiServer _server = null!;
    private HttpClient _http = null!;
    private readonly CancellationTokenSource _timeout = new(Eventually.Timeout);

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_server.Host) };
        _server.AddNodes(TestNodes.Cluster());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public void StartAsync_ListensOnLoopback()
    {
        Assert.StartsWith("http://127.0.0.1:", _server.Host, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughOneConsistentSnapshot()
    {
        using var client = _server.CreateClient();
        var version = _server.ResourceVersion;

        var first = await client.CoreV1.ListNodeAsync(limit: 2, cancellationToken: _timeout.Token);
        _server.AddNode(TestNodes.AwsWorker(1));
        _server.DeleteNode(TestNodes.OnPremises);
        var second = await client.CoreV1.ListNodeAsync(limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: _timeout.Token);
        var third = await client.CoreV1.ListNodeAsync(limit: 2, continueParameter: second.Metadata.ContinueProperty, cancellationToken: _timeout.Token);

        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.All([first, second, third], page => Assert.Equal(version, page.Metadata.ResourceVersion));
        Assert.Null(third.Metadata.ContinueProperty);
        var names = first.Items.Concat(second.Items).Concat(third.Items).Select(n => n.Metadata.Name).ToList();
        Assert.Equal(TestNodes.Cluster().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task List_Json_HasTheShapeOfTheApiServersNodeList()
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/nodes?limit=1", UriKind.Relative), _timeout.Token);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_timeout.Token));
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("NodeList", root.GetProperty("kind").GetString());
        Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal(_server.ResourceVersion, root.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("metadata").GetProperty("continue").GetString()));
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("kind", out _));
        Assert.Equal("aks-nodepool1-31718369-vmss000002", item.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("3860m", item.GetProperty("status").GetProperty("allocatable").GetProperty("cpu").GetString());
    }

    [Fact]
    public async Task List_ContinueAfterTheHistoryExpired_Is410Expired()
    {
        using var client = _server.CreateClient();
        var first = await client.CoreV1.ListNodeAsync(limit: 2, cancellationToken: _timeout.Token);

        _server.ExpireHistory();
        using var response = await _http.GetAsync(new Uri($"/api/v1/nodes?limit=2&continue={first.Metadata.ContinueProperty}", UriKind.Relative), _timeout.Token);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_timeout.Token));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("Expired", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(410, status.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Watch_FromAVersion_ReplaysLaterChangesThenStreamsLiveOnes()
    {
        var from = _server.ResourceVersion;
        var added = _server.AddNode(TestNodes.AwsWorker(1));

        using var response = await _http.GetAsync(
            new Uri($"/api/v1/nodes?watch=true&resourceVersion={from}&allowWatchBookmarks=true&timeoutSeconds=300", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead,
            _timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_timeout.Token));

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var replayed = await ReadEventAsync(reader);
        Assert.Equal(("ADDED", TestNodes.AwsWorker(1).Metadata.Name, added), replayed);

        var deleted = _server.DeleteNode(TestNodes.AzureD4);
        Assert.Equal(("DELETED", TestNodes.AzureD4, deleted), await ReadEventAsync(reader));

        var bookmark = _server.SendBookmark();
        Assert.Equal(("BOOKMARK", null, bookmark), await ReadEventAsync(reader));

        _server.EndWatches();
        Assert.Null(await reader.ReadLineAsync(_timeout.Token));
    }

    [Fact]
    public async Task Watch_FromAnExpiredVersion_SendsA410ErrorEventAndEnds()
    {
        var from = _server.ResourceVersion;
        _server.ExpireHistory();

        using var response = await _http.GetAsync(
            new Uri($"/api/v1/nodes?watch=true&resourceVersion={from}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead,
            _timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_timeout.Token));
        using var line = JsonDocument.Parse(await reader.ReadLineAsync(_timeout.Token) ?? "null");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ERROR", line.RootElement.GetProperty("type").GetString());
        var status = line.RootElement.GetProperty("object");
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
        Assert.Equal(410, status.GetProperty("code").GetInt32());
        Assert.StartsWith($"too old resource version: {from} (", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await reader.ReadLineAsync(_timeout.Token));
    }

    [Fact]
    public async Task Watch_OpenStream_IsSeenByTheKubernetesClient()
    {
        using var client = _server.CreateClient();
        var from = _server.ResourceVersion;

        var events = client.CoreV1.WatchListNodeAsync(resourceVersion: from, allowWatchBookmarks: true, cancellationToken: _timeout.Token);
        _server.UpdateNode(TestNodes.OnPremises, n => n.Metadata.Labels["carbon-aware.io/grid-zone"] = "NO-NO1");
        await using var enumerator = events.GetAsyncEnumerator(_timeout.Token);

        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Modified, enumerator.Current.Item1);
        Assert.Equal("NO-NO1", enumerator.Current.Item2.Metadata.Labels["carbon-aware.io/grid-zone"]);
    }

    [Fact]
    public async Task Get_UnknownNode_Is404WithAStatus()
    {
        using var client = _server.CreateClient();

        var known = await client.CoreV1.ReadNodeAsync(TestNodes.GcpN2, cancellationToken: _timeout.Token);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNodeAsync("no-such-node", cancellationToken: _timeout.Token));

        Assert.Equal("us-central1", known.Metadata.Labels["topology.kubernetes.io/region"]);
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("nodes \\\"no-such-node\\\" not found", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailNextRequests_FailsOnlyTheNextRequestOfThatKind()
    {
        using var client = _server.CreateClient();
        _server.FailNextRequests(ApiRequestKind.List, HttpStatusCode.InternalServerError);

        await client.CoreV1.ReadNodeAsync(TestNodes.GcpN2, cancellationToken: _timeout.Token);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNodeAsync(cancellationToken: _timeout.Token));
        var list = await client.CoreV1.ListNodeAsync(cancellationToken: _timeout.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"InternalError\"", e.Response.Content, StringComparison.Ordinal);
        Assert.Equal(5, list.Items.Count);
        Assert.Equal(
            [ApiRequestKind.Get, ApiRequestKind.List, ApiRequestKind.List],
            _server.Requests.Select(r => r.Kind));
    }

    private async Task<(string? Type, string? Name, string? ResourceVersion)> ReadEventAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync(_timeout.Token) ?? throw new InvalidOperationException("The watch ended.");
        using var json = JsonDocument.Parse(line);
        var metadata = json.RootElement.GetProperty("object").GetProperty("metadata");
        return (
            json.RootElement.GetProperty("type").GetString(),
            metadata.TryGetProperty("name", out var name) ? name.GetString() : null,
            metadata.GetProperty("resourceVersion").GetString());
    }
}
