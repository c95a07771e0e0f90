using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Power;
using Scheduler.Kubernetes.Nodes;
using Scheduler.Kubernetes.Tests.Fakes;
using Scheduler.Kubernetes.Tests.Support;

namespace Scheduler.Kubernetes.Tests.Nodes;

public sealed class NodeWatcherTests : IAsyncLifetime, IDisposable
{
    private readonly RecordingTimeProvider _time = new();
    private readonly ListLogger<NodeWatcher> _logger = new();
    private readonly NodeCache _cache = new(TestNodes.CreateDescriber());
    private FakeKubernetesApiServer _server = null!;
    private k8s.Kubernetes? _client;
    private NodeWatcher? _watcher;

    public async Task InitializeAsync() => _server = await FakeKubernetesApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_watcher is not null)
        {
            using var timeout = new CancellationTokenSource(Eventually.Timeout);
            await _watcher.StopAsync(timeout.Token);
        }

        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _client?.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_MoreNodesThanOnePage_ListsEveryPageAndSyncs()
    {
        _server.AddNodes(TestNodes.Cluster());
        _server.AddNodes(Enumerable.Range(0, 1200).Select(i => TestNodes.AwsWorker(i)));
        var listVersion = _server.ResourceVersion;

        await StartWatcherAsync();
        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");

        Assert.Equal(1205, _cache.Count);
        var lists = _server.RequestsOf(ApiRequestKind.List);
        Assert.Equal(3, lists.Count);
        Assert.All(lists, l => Assert.Equal(500, l.Limit));
        Assert.Null(lists[0].Continue);
        Assert.NotNull(lists[1].Continue);
        Assert.NotNull(lists[2].Continue);
        Assert.NotEqual(lists[1].Continue, lists[2].Continue);

        // Nodes of the first and the last page are both described.
        Assert.Equal("DE", _cache.Find(TestNodes.AwsA100)?.Zone);
        Assert.Equal("SE-SE3", _cache.Find(TestNodes.OnPremises)?.Zone);
        Assert.Equal("FR", _cache.Find(TestNodes.AwsWorker(1199).Metadata.Name)?.Zone);

        // The watch starts where the list was taken.
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");
        Assert.Equal(listVersion, Assert.Single(_server.RequestsOf(ApiRequestKind.Watch)).ResourceVersion);
    }

    [Fact]
    public async Task ExecuteAsync_NoNodes_SyncsEmpty()
    {
        await StartWatcherAsync();
        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");

        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task ExecuteAsync_Watch_AsksForBookmarksAndTheConfiguredTimeout()
    {
        _server.AddNodes(TestNodes.Cluster());

        await StartWatcherAsync(new KubernetesOptions { WatchTimeoutSeconds = 120 });
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");

        var watch = Assert.Single(_server.RequestsOf(ApiRequestKind.Watch));
        Assert.True(watch.Watch);
        Assert.True(watch.AllowWatchBookmarks);
        Assert.Equal(120, watch.TimeoutSeconds);
        Assert.Equal(_server.ResourceVersion, watch.ResourceVersion);
    }

    [Fact]
    public async Task ExecuteAsync_AddedModifiedDeletedEvents_UpdateTheCacheWithoutRelisting()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        Assert.Equal(5, _cache.Count);

        _server.AddNode(TestNodes.AwsWorker(7, "eu-west-3"));
        var added = TestNodes.AwsWorker(7).Metadata.Name;
        await Eventually.UntilAsync(() => _cache.Find(added) is not null, "the added node is cached");
        Assert.Equal("FR", _cache.Find(added)!.Zone);

        // The node is moved to another grid zone by its explicit label.
        _server.UpdateNode(TestNodes.OnPremises, n => n.Metadata.Labels[NodeLabels.GridZone] = "NO-NO1");
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.OnPremises)?.Zone == "NO-NO1", "the relabelled node moves zone");

        // An explicit label on a cloud node wins over its region; removing it falls back to the region.
        _server.UpdateNode(TestNodes.AwsA100, n => n.Metadata.Labels[NodeLabels.GridZone] = "FR");
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.AwsA100)?.Zone == "FR", "the label wins over the region");
        _server.UpdateNode(TestNodes.AwsA100, n => n.Metadata.Labels.Remove(NodeLabels.GridZone));
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.AwsA100)?.Zone == "DE", "the region is used again");

        _server.DeleteNode(TestNodes.GcpN2);
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.GcpN2) is null, "the deleted node leaves the cache");

        Assert.Equal(5, _cache.Count);
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));
        Assert.Single(_server.RequestsOf(ApiRequestKind.Watch));
    }

    [Fact]
    public async Task ExecuteAsync_ModifiedAllocatable_RedescribesThePower()
    {
        // A GPU node registers before its device plugin: no GPU is allocatable yet.
        _server.AddNode(TestNodes.Node(
            "gpu-node-1",
            new Dictionary<string, string> { [NodeLabels.Region] = "eu-central-1", ["nvidia.com/gpu.product"] = "NVIDIA-H100-80GB-HBM3" },
            new Dictionary<string, string> { ["cpu"] = "191450m", ["memory"] = "2020415548Ki", ["pods"] = "100" }));
        await StartWatchingAsync();
        Assert.Null(_cache.Find("gpu-node-1")!.Power.Gpu);

        _server.UpdateNode("gpu-node-1", n => n.Status.Allocatable["nvidia.com/gpu"] = new ResourceQuantity("8"));

        await Eventually.UntilAsync(() => _cache.Find("gpu-node-1")?.Power.Gpu is not null, "the node's GPUs are described");
        var power = _cache.Find("gpu-node-1")!.Power;
        Assert.Equal("H100-SXM", power.Gpu!.Product);
        Assert.Equal(PowerSource.HardwareModel, power.Source);
    }

    [Fact]
    public async Task ExecuteAsync_StreamEnded_RewatchesFromTheLastEventWithoutRelisting()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        var lastSeen = _server.AddNode(TestNodes.AwsWorker(1));
        await Eventually.UntilAsync(() => _cache.Count == 6, "the added node is cached");

        _server.EndWatches();
        _server.DeleteNode(TestNodes.AzureD4);

        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.Watch).Count == 2, "the watch is renewed");
        Assert.Equal(lastSeen, _server.RequestsOf(ApiRequestKind.Watch)[1].ResourceVersion);

        // The deletion made while no watch was open still reaches the cache.
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.AzureD4) is null, "the deletion is applied");
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));
        Assert.True(_cache.IsSynced);
    }

    [Fact]
    public async Task ExecuteAsync_QuietWatchEndedWithoutAnEvent_RewatchesAtOnceWithoutRelistingOrWarning()
    {
        // The API server ends a watch at its timeoutSeconds; in a quiet cluster it ends with no event at all, and
        // the client reports the empty stream as an error. That is a watch's normal end, not a failure.
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        var listVersion = _server.ResourceVersion;
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");

        _time.Advance(TimeSpan.FromSeconds(300));
        _server.EndWatches();
        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.Watch).Count == 2 && _server.OpenWatchCount == 1, "the watch is renewed");
        _time.Advance(TimeSpan.FromSeconds(300));
        _server.EndWatches();
        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.Watch).Count == 3 && _server.OpenWatchCount == 1, "the watch is renewed again");

        Assert.All(_server.RequestsOf(ApiRequestKind.Watch), watch => Assert.Equal(listVersion, watch.ResourceVersion));
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));
        Assert.Empty(_logger.At(LogLevel.Warning));
        Assert.Empty(_time.TimerDueTimes);
        _server.AddNode(TestNodes.AwsWorker(4));
        await Eventually.UntilAsync(() => _cache.Count == 6, "events after the renewed watch are applied");
    }

    [Fact]
    public async Task ExecuteAsync_WatchEndedAtOnceWithoutAnEvent_BacksOffAndListsAgain()
    {
        // A stream closed as soon as it opens (no time passes on the clock) is a refusal, not a quiet watch.
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");

        _server.EndWatches();

        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the watcher backs off");
        Assert.Equal(TimeSpan.FromSeconds(1), _time.TimerDueTimes[0]);
        Assert.Single(_logger.At(LogLevel.Warning));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.List).Count == 2, "the nodes are listed again");
    }

    [Fact]
    public async Task ExecuteAsync_Bookmark_AdvancesTheVersionTheWatchIsRenewedFrom()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        _server.AddNode(TestNodes.AwsWorker(1));
        await Eventually.UntilAsync(() => _cache.Count == 6, "the added node is cached");

        var bookmark = _server.SendBookmark();
        _server.EndWatches();

        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.Watch).Count == 2, "the watch is renewed");
        Assert.Equal(bookmark, _server.RequestsOf(ApiRequestKind.Watch)[1].ResourceVersion);
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));

        // A bookmark is not a node.
        Assert.Equal(6, _cache.Count);
        _server.AddNode(TestNodes.AwsWorker(2));
        await Eventually.UntilAsync(() => _cache.Count == 7, "events after the renewed watch are applied");
    }

    [Fact]
    public async Task ExecuteAsync_WatchExpired_ListsAgainAndWatchesFromTheNewList()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();

        // Changes the watcher misses: the history is compacted past them and the watch gets 410 Gone.
        _server.ExpireHistory();
        _server.DeleteNode(TestNodes.GcpN2);
        _server.AddNode(TestNodes.AwsWorker(3));

        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.List).Count == 2, "the nodes are listed again", Diagnostics);
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.GcpN2) is null && _cache.Count == 5, "the cache holds the new list");
        var listVersion = _server.ResourceVersion;
        await Eventually.UntilAsync(() => _server.RequestsOf(ApiRequestKind.Watch).Any(w => w.ResourceVersion == listVersion), "the watch starts from the new list");
        Assert.Equal(2, _server.RequestsOf(ApiRequestKind.Watch).Count);
    }

    [Fact]
    public async Task ExecuteAsync_ListFails_RetriesWithGrowingBackoffUntilSynced()
    {
        _server.AddNodes(TestNodes.Cluster());
        _server.FailNextRequests(ApiRequestKind.List, HttpStatusCode.InternalServerError, times: 2);

        await StartWatcherAsync();

        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the watcher waits after the first failure");
        Assert.False(_cache.IsSynced);
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));
        _time.Advance(_time.TimerDueTimes[0]);

        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 2, "the watcher waits after the second failure");
        Assert.False(_cache.IsSynced);
        Assert.Equal(2, _server.RequestsOf(ApiRequestKind.List).Count);
        _time.Advance(_time.TimerDueTimes[1]);

        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");
        Assert.Equal(5, _cache.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _time.TimerDueTimes);
        Assert.Equal(2, _logger.At(LogLevel.Warning).Count);
    }

    [Fact]
    public async Task ExecuteAsync_ListFailsWithPlainText_RetriesUntilSynced()
    {
        _server.AddNodes(TestNodes.Cluster());
        _server.FailNextRequestsWithText(ApiRequestKind.List, HttpStatusCode.BadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>");

        await StartWatcherAsync();
        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the watcher waits after the failure");
        _time.Advance(_time.TimerDueTimes[0]);

        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");
        Assert.Equal(5, _cache.Count);
    }

    [Fact]
    public async Task ExecuteAsync_Backoff_IsCappedAtMaxReconnectDelay()
    {
        _server.AddNodes(TestNodes.Cluster());
        _server.FailNextRequests(ApiRequestKind.List, HttpStatusCode.ServiceUnavailable, times: 4);

        await StartWatcherAsync(new KubernetesOptions { MaxReconnectDelaySeconds = 2 });
        for (var failure = 1; failure <= 4; failure++)
        {
            await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == failure, $"the watcher waits after failure {failure}");
            _time.Advance(_time.TimerDueTimes[^1]);
        }

        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], _time.TimerDueTimes);
    }

    [Fact]
    public async Task ExecuteAsync_WatchKeepsFailing_BackoffGrows()
    {
        // E.g. RBAC that allows list but not watch on nodes.
        _server.AddNodes(TestNodes.Cluster());
        _server.FailNextRequests(ApiRequestKind.Watch, HttpStatusCode.Forbidden, times: 3, message: "nodes is forbidden: User \"system:serviceaccount:carbon:extender\" cannot watch resource \"nodes\" in API group \"\" at the cluster scope");

        await StartWatcherAsync();
        for (var failure = 1; failure <= 3; failure++)
        {
            await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == failure, $"the watcher waits after failure {failure}");
            _time.Advance(_time.TimerDueTimes[^1]);
        }

        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _time.TimerDueTimes);
    }

    [Fact]
    public async Task ExecuteAsync_RelistFails_KeepsTheLastNodesUntilAListSucceeds()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();
        _server.UpdateNode(TestNodes.AzureD4, n => n.Metadata.Labels["kubernetes.azure.com/node-image-version"] = "AKSUbuntu-2204gen2containerd-202502.09.0");
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1 && _server.RequestsOf(ApiRequestKind.Watch).Count == 1, "the watch is open");

        // The watch ends, its renewal and the next list fail; meanwhile the cluster changes.
        _server.FailNextRequests(ApiRequestKind.Watch, HttpStatusCode.InternalServerError);
        _server.FailNextRequests(ApiRequestKind.List, HttpStatusCode.InternalServerError);
        _server.EndWatches();
        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the watcher waits after the failed watch");
        _server.DeleteNode(TestNodes.GcpN2);
        _server.AddNode(TestNodes.AwsWorker(4));

        Assert.True(_cache.IsSynced);
        Assert.NotNull(_cache.Find(TestNodes.GcpN2));
        _time.Advance(_time.TimerDueTimes[0]);
        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 2, "the watcher waits after the failed list");
        Assert.Equal(2, _server.RequestsOf(ApiRequestKind.List).Count);
        Assert.True(_cache.IsSynced);
        Assert.Equal(5, _cache.Count);
        Assert.NotNull(_cache.Find(TestNodes.GcpN2));

        _time.Advance(_time.TimerDueTimes[1]);
        await Eventually.UntilAsync(() => _cache.Find(TestNodes.GcpN2) is null, "the next list replaces the cache");
        Assert.NotNull(_cache.Find(TestNodes.AwsWorker(4).Metadata.Name));
        Assert.Equal(5, _cache.Count);
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open again", Diagnostics);
        Assert.Equal(_server.ResourceVersion, _server.RequestsOf(ApiRequestKind.Watch)[^1].ResourceVersion);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionDropped_KeepsTheCacheAndRecovers()
    {
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();

        _server.DropWatchConnections();
        _server.AddNode(TestNodes.AwsWorker(5));

        Assert.Equal(5, _cache.Count);
        Assert.True(_cache.IsSynced);
        await UntilAdvancingTimeAsync(() => _cache.Count == 6, "the node added after the drop is cached");
        Assert.True(_cache.IsSynced);
    }

    [Fact]
    public async Task ExecuteAsync_StreamEndedBeforeAnyEvent_KeepsTheCacheAndRecovers()
    {
        // KubernetesClient fails a watch whose response ends before its first line (a quiet cluster at timeoutSeconds).
        _server.AddNodes(TestNodes.Cluster());
        await StartWatchingAsync();

        _server.EndWatches();
        _server.DeleteNode(TestNodes.AwsH100);

        Assert.True(_cache.IsSynced);
        Assert.NotNull(_cache.Find(TestNodes.AwsH100));
        await UntilAdvancingTimeAsync(() => _cache.Find(TestNodes.AwsH100) is null, "the deletion made after the stream ended is applied");
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open again", Diagnostics);
        Assert.Equal(4, _cache.Count);
    }

    [Fact]
    public async Task StopAsync_WhileWatching_EndsCleanlyAndClosesTheWatch()
    {
        _server.AddNodes(TestNodes.Cluster());
        var watcher = await StartWatchingAsync();

        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        await watcher.StopAsync(timeout.Token);

        Assert.True(watcher.ExecuteTask!.IsCompletedSuccessfully);
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 0, "the server sees the watch closed");
        Assert.Empty(_logger.At(LogLevel.Warning));

        // The cache keeps what it had.
        Assert.True(_cache.IsSynced);
        Assert.Equal(5, _cache.Count);
    }

    [Fact]
    public async Task StopAsync_DuringBackoff_EndsCleanlyWithoutRetrying()
    {
        _server.FailNextRequests(ApiRequestKind.List, HttpStatusCode.InternalServerError);
        var watcher = await StartWatcherAsync();
        await Eventually.UntilAsync(() => _time.TimerDueTimes.Count == 1, "the watcher waits after the failure");

        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        await watcher.StopAsync(timeout.Token);

        Assert.True(watcher.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Single(_server.RequestsOf(ApiRequestKind.List));
        Assert.False(_cache.IsSynced);
    }

    [Fact]
    public async Task ListAsync_Paginated_ReturnsTheVersionOfTheList()
    {
        _server.AddNodes(Enumerable.Range(0, 501).Select(i => TestNodes.AwsWorker(i)));
        var listVersion = _server.ResourceVersion;
        _client = _server.CreateClient();
        using var watcher = new NodeWatcher(_client, _cache, Options.Create(new KubernetesOptions()), _time, _logger);

        var version = await watcher.ListAsync(CancellationToken.None);

        Assert.Equal(listVersion, version);
        Assert.Equal(501, _cache.Count);
        Assert.True(_cache.IsSynced);
        Assert.Equal(2, _server.RequestsOf(ApiRequestKind.List).Count);
    }

    /// <summary>Waits for <paramref name="condition"/>, moving the fake clock on so that back-offs end.</summary>
    private Task UntilAdvancingTimeAsync(Func<bool> condition, string what) =>
        Eventually.UntilAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                _time.Advance(TimeSpan.FromSeconds(1));
                return false;
            },
            what,
            Diagnostics);

    private string Diagnostics()
    {
        var requests = _server.Requests;
        return $"{requests.Count} requests, the last: {string.Join(Environment.NewLine, requests.TakeLast(5))}{Environment.NewLine}"
            + $"log: {string.Join(Environment.NewLine, _logger.Entries.TakeLast(5).Select(e => $"{e.Level}: {e.Message} {e.Exception?.GetType().Name}: {e.Exception?.Message}"))}";
    }

    private async Task<NodeWatcher> StartWatcherAsync(KubernetesOptions? options = null)
    {
        _client = _server.CreateClient();
        _watcher = new NodeWatcher(_client, _cache, Options.Create(options ?? new KubernetesOptions()), _time, _logger);
        await _watcher.StartAsync(CancellationToken.None);
        return _watcher;
    }

    private async Task<NodeWatcher> StartWatchingAsync(KubernetesOptions? options = null)
    {
        var watcher = await StartWatcherAsync(options);
        await Eventually.UntilAsync(() => _cache.IsSynced, "the cache is synced");
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 1, "the watch is open");
        return watcher;
    }
}
