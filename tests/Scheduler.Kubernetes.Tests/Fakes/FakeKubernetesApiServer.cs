using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that answers the node endpoints of the Kubernetes
/// API the way the API server does, for clients such as <see cref="k8s.Kubernetes"/>:
/// <list type="bullet">
/// <item><c>GET /api/v1/nodes?limit=N&amp;continue=T</c>: a <c>v1 NodeList</c> served from a consistent
/// snapshot, with an opaque continue token while items remain (items carry no kind/apiVersion, as in
/// the API server's typed lists);</item>
/// <item><c>GET /api/v1/nodes?watch=true&amp;resourceVersion=RV&amp;allowWatchBookmarks=true&amp;timeoutSeconds=S</c>:
/// a chunked stream of newline-delimited watch events replaying every change after RV, then live
/// changes; a resourceVersion older than the compacted history gets an <c>ERROR</c> event with a 410
/// <c>Expired</c> Status, and the stream ends after S seconds;</item>
/// <item><c>GET /api/v1/nodes/{name}</c>: one Node, or a 404 Status.</item>
/// </list>
/// Tests change the nodes (each change is a new resourceVersion and a watch event), send bookmarks,
/// end or drop open watches, expire the history, make coming requests fail, and read the requests received.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private const string NodesPath = "/api/v1/nodes";
    private const string LegacyWatchPath = "/api/v1/watch/nodes";

    private const string ContinueTooOld =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
        + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
        + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    // Quotes in messages as \" (Go's encoding), not \u0022.
    private static readonly JsonSerializerOptions StatusJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<WatchConnection> _watches = [];
    private readonly List<InjectedFailure> _failures = [];
    private readonly List<(long Version, string Line)> _history = [];
    private readonly Dictionary<long, ImmutableSortedDictionary<string, V1Node>> _snapshots = [];
    private ImmutableSortedDictionary<string, V1Node> _nodes = ImmutableSortedDictionary.Create<string, V1Node>(StringComparer.Ordinal);
    private long _resourceVersion;
    private long _oldestWatchableVersion;

    private FakeKubernetesApiServer(long initialResourceVersion)
    {
        _resourceVersion = initialResourceVersion;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>, for <see cref="KubernetesClientConfiguration.Host"/>.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary>The current resourceVersion (etcd revision) of the server.</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return Format(_resourceVersion);
            }
        }
    }

    /// <summary>The names of the nodes the server has now.</summary>
    public IReadOnlyList<string> NodeNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Keys];
            }
        }
    }

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The number of watch responses still streaming.</summary>
    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Starts a server on 127.0.0.1 with a free port, at <paramref name="initialResourceVersion"/>.</summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(long initialResourceVersion = 1000, CancellationToken cancellationToken = default)
    {
        var server = new FakeKubernetesApiServer(initialResourceVersion);
        await server._app.StartAsync(cancellationToken);
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Host = addresses.Single();
        return server;
    }

    /// <summary>A client of this server, as the extender builds one from a configuration.</summary>
    public k8s.Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = Host });

    /// <summary>The requests of <paramref name="kind"/> received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> RequestsOf(ApiRequestKind kind) => [.. Requests.Where(r => r.Kind == kind)];

    /// <summary>Creates <paramref name="node"/> (an <c>ADDED</c> event); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">A node of that name exists.</exception>
    public string AddNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = NameOf(node);
        lock (_gate)
        {
            if (_nodes.ContainsKey(name))
            {
                throw new InvalidOperationException($"nodes \"{name}\" already exists");
            }

            return Commit("ADDED", node, remove: false);
        }
    }

    /// <summary>Creates every node of <paramref name="nodes"/>; returns the resourceVersion after the last.</summary>
    public string AddNodes(IEnumerable<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            AddNode(node);
        }

        return ResourceVersion;
    }

    /// <summary>Replaces node <paramref name="node"/> (a <c>MODIFIED</c> event); returns the new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">No node of that name exists.</exception>
    public string UpdateNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = NameOf(node);
        lock (_gate)
        {
            if (!_nodes.ContainsKey(name))
            {
                throw new InvalidOperationException($"nodes \"{name}\" not found");
            }

            return Commit("MODIFIED", node, remove: false);
        }
    }

    /// <summary>Changes node <paramref name="name"/> with <paramref name="change"/> (a <c>MODIFIED</c> event); returns the new resourceVersion.</summary>
    public string UpdateNode(string name, Action<V1Node> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var current))
            {
                throw new InvalidOperationException($"nodes \"{name}\" not found");
            }

            var changed = Clone(current);
            change(changed);
            return Commit("MODIFIED", changed, remove: false);
        }
    }

    /// <summary>Deletes node <paramref name="name"/> (a <c>DELETED</c> event with its last state); returns the new resourceVersion.</summary>
    public string DeleteNode(string name)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var current))
            {
                throw new InvalidOperationException($"nodes \"{name}\" not found");
            }

            return Commit("DELETED", current, remove: true);
        }
    }

    /// <summary>
    /// Moves the resourceVersion on (as writes to other resources do) and sends a <c>BOOKMARK</c> at it
    /// to the open watches that asked for bookmarks; returns that resourceVersion.
    /// </summary>
    public string SendBookmark()
    {
        lock (_gate)
        {
            var version = ++_resourceVersion;
            var bookmark = "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + Format(version) + "\",\"creationTimestamp\":null}}";
            var line = WatchEventJson("BOOKMARK", bookmark);
            foreach (var watch in _watches.Where(w => w.WantsBookmarks))
            {
                watch.Send(version, line);
            }

            return Format(version);
        }
    }

    /// <summary>
    /// Compacts the history as etcd does: the resourceVersion moves on, and every older resourceVersion
    /// is gone. Open watches get an <c>ERROR</c> event with a 410 <c>Expired</c> Status and end; later
    /// watches from an older resourceVersion get the same, and older continue tokens a 410.
    /// </summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _oldestWatchableVersion = ++_resourceVersion;
            _history.Clear();
            foreach (var version in _snapshots.Keys.Where(v => v < _oldestWatchableVersion).ToList())
            {
                _snapshots.Remove(version);
            }

            foreach (var watch in _watches)
            {
                watch.Send(_resourceVersion, ExpiredEvent(watch.Position, _oldestWatchableVersion));
                watch.End();
            }
        }
    }

    /// <summary>Ends every open watch response cleanly, as the API server does at <c>timeoutSeconds</c>.</summary>
    public void EndWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.End();
            }
        }
    }

    /// <summary>Aborts the connection of every open watch mid-stream, as a lost connection does.</summary>
    public void DropWatchConnections()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Drop();
            }
        }
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests of <paramref name="kind"/> (any when <c>null</c>)
    /// with <paramref name="statusCode"/> and a <c>Status</c> body, as the API server reports errors.
    /// </summary>
    public void FailNextRequests(ApiRequestKind? kind, HttpStatusCode statusCode = HttpStatusCode.InternalServerError, int times = 1, string? reason = null, string? message = null)
    {
        var code = (int)statusCode;
        var body = StatusJson(code, reason ?? ReasonOf(statusCode), message ?? $"Internal error occurred: injected failure ({code})");
        Enqueue(new InjectedFailure(kind, code, "application/json", body), times);
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests of <paramref name="kind"/> (any when <c>null</c>)
    /// with <paramref name="statusCode"/> and a plain-text <paramref name="body"/>, as a proxy in front of the API server may.
    /// </summary>
    public void FailNextRequestsWithText(ApiRequestKind? kind, HttpStatusCode statusCode, string body, int times = 1) =>
        Enqueue(new InjectedFailure(kind, (int)statusCode, "text/plain; charset=utf-8", body), times);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.End();
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string NameOf(V1Node node) =>
        node.Metadata?.Name is { Length: > 0 } name ? name : throw new ArgumentException("The node has no metadata.name.", nameof(node));

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static V1Node Clone(V1Node node) => KubernetesJson.Deserialize<V1Node>(KubernetesJson.Serialize(node));

    private static string EventLine(string type, V1Node node) => WatchEventJson(type, KubernetesJson.Serialize(node));

    private static string WatchEventJson(string type, string objectJson) => "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";

    private static string ExpiredEvent(long requested, long oldest) =>
        WatchEventJson("ERROR", StatusJson(410, "Expired", $"too old resource version: {requested} ({oldest})"));

    private static string StatusJson(int code, string reason, string message, string? name = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (name is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = "nodes" };
        }

        status["code"] = code;
        return status.ToJsonString(StatusJsonOptions);
    }

    private static string ReasonOf(HttpStatusCode code) => code switch
    {
        HttpStatusCode.BadRequest => "BadRequest",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Gone => "Expired",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        HttpStatusCode.GatewayTimeout => "Timeout",
        _ => "InternalError",
    };

    private static string EncodeContinue(long version, string start)
    {
        // The API server's token: base64url (no padding) of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}.
        var json = JsonSerializer.Serialize(new ContinueToken("meta.k8s.io/v1", version, start));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    private static bool TryDecodeContinue(string token, out long version, out string start)
    {
        version = 0;
        start = string.Empty;
        try
        {
            var decoded = JsonSerializer.Deserialize<ContinueToken>(Base64Url.DecodeFromChars(token));
            if (decoded is not { V: "meta.k8s.io/v1", Rv: > 0, Start: { Length: > 0 } })
            {
                return false;
            }

            (version, start) = (decoded.Rv, decoded.Start);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    private static ApiRequestKind KindOf(HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        if (path == LegacyWatchPath)
        {
            return ApiRequestKind.Watch;
        }

        if (path == NodesPath)
        {
            return request.Query["watch"].LastOrDefault() is "true" or "1" ? ApiRequestKind.Watch : ApiRequestKind.List;
        }

        return path.StartsWith(NodesPath + "/", StringComparison.Ordinal) && path.Count(c => c == '/') == 4
            ? ApiRequestKind.Get
            : ApiRequestKind.Other;
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, string contentType, string body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message, string? name = null) =>
        WriteAsync(context, code, "application/json", StatusJson(code, reason, message, name));

    private void Enqueue(InjectedFailure failure, int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Add(failure);
            }
        }
    }

    private string Commit(string type, V1Node node, bool remove)
    {
        // Callers hold _gate.
        var version = ++_resourceVersion;
        var stored = Clone(node);
        stored.Kind = V1Node.KubeKind;
        stored.ApiVersion = "v1";
        stored.Metadata.ResourceVersion = Format(version);
        stored.Metadata.Uid ??= Guid.NewGuid().ToString();
        _nodes = remove ? _nodes.Remove(stored.Metadata.Name) : _nodes.SetItem(stored.Metadata.Name, stored);
        var line = EventLine(type, stored);
        _history.Add((version, line));
        foreach (var watch in _watches)
        {
            watch.Send(version, line);
        }

        return Format(version);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Query.ToDictionary(p => p.Key, p => p.Value.LastOrDefault() ?? string.Empty, StringComparer.Ordinal),
            KindOf(context.Request));
        InjectedFailure? failure;
        lock (_gate)
        {
            _requests.Add(request);
            failure = _failures.FirstOrDefault(f => f.Kind is null || f.Kind == request.Kind);
            if (failure is not null)
            {
                _failures.Remove(failure);
            }
        }

        if (failure is not null)
        {
            await WriteAsync(context, failure.StatusCode, failure.ContentType, failure.Body);
            return;
        }

        if (request.Kind != ApiRequestKind.Other && !HttpMethods.IsGet(request.Method))
        {
            await WriteStatusAsync(context, 405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
            return;
        }

        switch (request.Kind)
        {
            case ApiRequestKind.List:
                await ListAsync(context, request);
                break;
            case ApiRequestKind.Watch:
                await WatchAsync(context, request);
                break;
            case ApiRequestKind.Get:
                await GetAsync(context, request);
                break;
            default:
                await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
                break;
        }
    }

    private async Task GetAsync(HttpContext context, RecordedRequest request)
    {
        var name = request.Path[(NodesPath.Length + 1)..];
        V1Node? node;
        lock (_gate)
        {
            _nodes.TryGetValue(name, out node);
        }

        if (node is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"nodes \"{name}\" not found", name);
            return;
        }

        await WriteAsync(context, 200, "application/json", KubernetesJson.Serialize(node));
    }

    private async Task ListAsync(HttpContext context, RecordedRequest request)
    {
        ImmutableSortedDictionary<string, V1Node>? snapshot;
        long version;
        var start = string.Empty;
        lock (_gate)
        {
            if (request.Continue is { Length: > 0 } token)
            {
                if (!TryDecodeContinue(token, out version, out start))
                {
                    snapshot = null;
                }
                else if (!_snapshots.TryGetValue(version, out snapshot))
                {
                    snapshot = null;
                    version = -1;
                }
            }
            else
            {
                version = _resourceVersion;
                snapshot = _nodes;
                _snapshots[version] = snapshot;
            }
        }

        if (snapshot is null)
        {
            await (version < 0
                ? WriteStatusAsync(context, 410, "Expired", ContinueTooOld)
                : WriteStatusAsync(context, 400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
            return;
        }

        var remaining = snapshot.Values.Where(n => string.CompareOrdinal(n.Metadata.Name, start) >= 0).ToList();
        var page = request.Limit is > 0 and var limit ? remaining.Take(limit).ToList() : remaining;
        var more = remaining.Count - page.Count;
        var list = new V1NodeList
        {
            Kind = "NodeList",
            ApiVersion = "v1",
            Metadata = new V1ListMeta
            {
                ResourceVersion = Format(version),
                ContinueProperty = more > 0 ? EncodeContinue(version, page[^1].Metadata.Name + "\0") : null,
                RemainingItemCount = more > 0 ? more : null,
            },
            Items = [.. page.Select(ListItem)],
        };
        await WriteAsync(context, 200, "application/json", KubernetesJson.Serialize(list));
    }

    private static V1Node ListItem(V1Node node)
    {
        // The API server leaves kind and apiVersion out of the items of a typed list.
        var item = Clone(node);
        item.Kind = null;
        item.ApiVersion = null;
        return item;
    }

    private async Task WatchAsync(HttpContext context, RecordedRequest request)
    {
        long? from = null;
        if (request.ResourceVersion is { Length: > 0 } text && text != "0")
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await WriteStatusAsync(context, 400, "BadRequest", $"resourceVersion: Invalid value: \"{text}\": strconv.ParseUint: parsing \"{text}\": invalid syntax");
                return;
            }

            from = parsed;
        }

        WatchConnection watch;
        lock (_gate)
        {
            watch = new WatchConnection(request.AllowWatchBookmarks, from ?? _resourceVersion);
            if (from is { } start && start < _oldestWatchableVersion)
            {
                watch.Send(start, ExpiredEvent(start, _oldestWatchableVersion));
                watch.End();
            }
            else
            {
                if (from is { } since)
                {
                    foreach (var (version, line) in _history.Where(h => h.Version > since))
                    {
                        watch.Send(version, line);
                    }
                }
                else
                {
                    // No resourceVersion (or "0"): synthetic ADDED events for the current state, then changes.
                    foreach (var node in _nodes.Values)
                    {
                        watch.Send(_resourceVersion, EventLine("ADDED", node));
                    }
                }

                _watches.Add(watch);
            }
        }

        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-cache, private";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            using var streaming = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            if (request.TimeoutSeconds is > 0 and var seconds)
            {
                streaming.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await foreach (var line in watch.Messages.ReadAllAsync(streaming.Token))
            {
                if (line is null)
                {
                    context.Abort();
                    return;
                }

                await context.Response.WriteAsync(line + "\n", streaming.Token);
                await context.Response.Body.FlushAsync(streaming.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed, the client went away, or the server is stopping: end the response.
        }
        finally
        {
            lock (_gate)
            {
                _watches.Remove(watch);
            }
        }
    }
}
