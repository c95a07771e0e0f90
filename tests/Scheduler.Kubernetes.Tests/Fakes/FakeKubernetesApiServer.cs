using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that answers the Kubernetes API the way the API server
/// does, for clients such as <see cref="k8s.Kubernetes"/>, for these resources:
/// <list type="bullet">
/// <item><c>v1 nodes</c> (get, list, watch), <c>v1 pods</c> (get, list, watch), <c>batch/v1 jobs</c> and
/// <c>coordination.k8s.io/v1 leases</c> (get, list, watch, create, update, patch, delete), and Events through
/// both <c>v1</c> and <c>events.k8s.io/v1</c> (one storage, as in the API server);</item>
/// <item>lists (<c>?limit=N&amp;continue=T&amp;labelSelector=S&amp;fieldSelector=F</c>) are served from a
/// consistent snapshot, with an opaque continue token while items remain (items carry no kind/apiVersion);</item>
/// <item>watches (<c>?watch=true&amp;resourceVersion=RV&amp;allowWatchBookmarks=true&amp;timeoutSeconds=S</c>, or
/// the legacy <c>/watch/</c> paths) are chunked streams of newline-delimited events replaying every change after
/// RV, then live changes; a resourceVersion older than the compacted history gets an <c>ERROR</c> event with a
/// 410 <c>Expired</c> Status, and the stream ends after S seconds;</item>
/// <item>writes follow the API server's rules: see <see cref="ResourceStore"/> (resourceVersion conflicts,
/// generation, finalizers), <see cref="JobStrategy"/> (Job defaults and immutability), <see cref="Patches"/>
/// (the patch types applied, 415 for others) and <see cref="StatusResponses"/> (the Status bodies).</item>
/// </list>
/// Tests change the objects as users and controllers would (each change is a new resourceVersion and a
/// watch event), send bookmarks, end or drop open watches, expire the history, make coming requests fail,
/// and read the requests received. This file holds the server and its server-wide controls; one partial
/// file per kind holds that kind's test methods.
/// </summary>
public sealed partial class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RequestJournal _journal = new();
    private readonly ResourceStore _store;

    private FakeKubernetesApiServer(long initialResourceVersion)
    {
        _store = new ResourceStore(initialResourceVersion, () => TimeProvider.GetUtcNow());
        var handler = new ApiRequestHandler(_store, _journal, _stopping.Token);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(handler.HandleAsync);
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>, for <see cref="KubernetesClientConfiguration.Host"/>.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary>The clock of <c>creationTimestamp</c>, <c>deletionTimestamp</c> and the times of Job status helpers (the system clock by default).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The current resourceVersion (etcd revision) of the server.</summary>
    public string ResourceVersion => JsonObjects.Format(_store.Version);

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _journal.Requests;

    /// <summary>The number of watch responses still streaming.</summary>
    public int OpenWatchCount => _store.OpenWatchCount;

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

    /// <summary>
    /// Moves the resourceVersion on (as writes to other resources do) and sends a <c>BOOKMARK</c> at it
    /// to the open watches that asked for bookmarks; returns that resourceVersion.
    /// </summary>
    public string SendBookmark() => JsonObjects.Format(_store.SendBookmark());

    /// <summary>
    /// Compacts the history as etcd does: the resourceVersion moves on, and every older resourceVersion
    /// is gone. Open watches get an <c>ERROR</c> event with a 410 <c>Expired</c> Status and end; later
    /// watches from an older resourceVersion get the same, and older continue tokens a 410.
    /// </summary>
    public void ExpireHistory() => _store.ExpireHistory();

    /// <summary>
    /// Ends every open watch cleanly (as at <c>timeoutSeconds</c>) and compacts the history in the same instant, as
    /// when etcd compacted while a client was between two watches: each client's re-watch from the resourceVersion
    /// it had gets an <c>ERROR</c> event with a 410 <c>Expired</c> Status, and it must list again.
    /// </summary>
    public void EndWatchesAndExpireHistory() => _store.ExpireHistory(endWatchesCleanly: true);

    /// <summary>Ends every open watch response cleanly, as the API server does at <c>timeoutSeconds</c>.</summary>
    public void EndWatches() => _store.EndWatches(drop: false);

    /// <summary>Aborts the connection of every open watch mid-stream, as a lost connection does.</summary>
    public void DropWatchConnections() => _store.EndWatches(drop: true);

    /// <summary>
    /// Answers the next <paramref name="times"/> requests of <paramref name="kind"/> (any when <c>null</c>)
    /// with <paramref name="statusCode"/> and a <c>Status</c> body, as the API server reports errors.
    /// </summary>
    public void FailNextRequests(ApiRequestKind? kind, HttpStatusCode statusCode = HttpStatusCode.InternalServerError, int times = 1, string? reason = null, string? message = null) =>
        _journal.Enqueue(new InjectedFailure(kind, (int)statusCode, "application/json", StatusResponses.ToJson(StatusResponses.Injected(statusCode, reason, message))), times);

    /// <summary>
    /// Answers the next <paramref name="times"/> requests of <paramref name="kind"/> (any when <c>null</c>) as the
    /// API server's priority and fairness answers a request it has no seat for: 429 with a <c>Retry-After</c>
    /// header and a <c>TooManyRequests</c> Status whose details carry <c>retryAfterSeconds</c>.
    /// </summary>
    public void ThrottleNextRequests(ApiRequestKind? kind, int times = 1, int retryAfterSeconds = 1) =>
        _journal.Enqueue(
            new InjectedFailure(kind, 429, "application/json", StatusResponses.ToJson(StatusResponses.TooManyRequests(retryAfterSeconds)), retryAfterSeconds),
            times);

    /// <summary>
    /// Answers the next <paramref name="times"/> requests of <paramref name="kind"/> (any when <c>null</c>)
    /// with <paramref name="statusCode"/> and a plain-text <paramref name="body"/>, as a proxy in front of the API server may.
    /// </summary>
    public void FailNextRequestsWithText(ApiRequestKind? kind, HttpStatusCode statusCode, string body, int times = 1) =>
        _journal.Enqueue(new InjectedFailure(kind, (int)statusCode, "text/plain; charset=utf-8", body), times);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _store.EndWatches(drop: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    // The kinds' test methods share these: they act through the store as a user (or the owning controller) would,
    // and report what the API server would refuse as an InvalidOperationException with its message.
    private static string NameOf(string? name, string what) =>
        name is { Length: > 0 } ? name : throw new ArgumentException($"The {what} has no metadata.name.", what);

    private static TResult AsTest<TResult>(Func<TResult> write)
    {
        try
        {
            return write();
        }
        catch (ApiStatusException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    private string Add(ResourceType type, object model) =>
        AsTest(() => JsonObjects.ResourceVersion(_store.Create(type, null, JsonObjects.FromModel(model), WriteOptions.Test))!);

    private string Change<T>(ResourceType type, string? ns, string name, Action<T> change, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(change);
        return AsTest(() => JsonObjects.ResourceVersion(_store.Update(type, ns, name, json => Changed(json, change), options))!);
    }

    private string Replace(ResourceType type, string? ns, string name, object model) =>
        AsTest(() => JsonObjects.ResourceVersion(_store.Update(type, ns, name, _ => JsonObjects.FromModel(model), WriteOptions.Test))!);

    private string Remove(ResourceType type, string? ns, string name)
    {
        // As kubectl deletes: propagationPolicy=Background, so the object is gone at once.
        AsTest(() => _store.Delete(type, ns, name, new DeleteRequest("Background")));
        return ResourceVersion;
    }

    private T? Find<T>(ResourceType type, string? ns, string name)
        where T : class =>
        _store.Find(type, ns, name) is { } stored ? JsonObjects.ToModel<T>(type.FromStorage(stored)) : null;

    private List<T> All<T>(ResourceType type, string? ns) => [.. _store.All(type, ns).Select(stored => JsonObjects.ToModel<T>(type.FromStorage(stored)))];

    private static JsonObject Changed<T>(JsonObject json, Action<T> change)
    {
        var model = JsonObjects.ToModel<T>(json);
        change(model);
        return JsonObjects.FromModel(model!);
    }
}
