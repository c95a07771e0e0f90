using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that answers the Electricity Maps v3
/// carbon-intensity endpoints as the API does (carbon-sources.md §2.1):
/// <list type="bullet">
/// <item><c>GET /v3/carbon-intensity/{forecast,history,latest,past-range}?zone=Z</c> with the
/// <c>auth-token</c> header: the JSON body set for that zone and endpoint;</item>
/// <item>no <c>auth-token</c>: 401; a wrong one: 403 with the plain-text body <c>Access denied</c>
/// (as the API was seen to answer an invalid key);</item>
/// <item>no <c>zone</c>: 400; a zone without data: 404; <c>past-range</c> without <c>start</c>/<c>end</c>: 400;
/// error bodies are JSON <c>{"message": …}</c>.</item>
/// </list>
/// Tests can replace the next answers (<see cref="RespondNext(RequestDelegate)"/>) or all of them for a while
/// (<see cref="RespondAlways"/>), and read the requests received.
/// </summary>
public sealed class ElectricityMapsFakeServer : IAsyncDisposable
{
    private static readonly string[] Endpoints = ["forecast", "history", "latest", "past-range"];

    private LoopbackApp _app = null!;
    private readonly string _token;
    private readonly ConcurrentDictionary<(string Zone, string Endpoint), string> _bodies = new();
    private readonly ConcurrentQueue<RequestDelegate> _next = new();
    private readonly ConcurrentQueue<ElectricityMapsFakeRequest> _requests = new();
    private RequestDelegate? _always;

    private ElectricityMapsFakeServer(string token)
    {
        _token = token;
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<ElectricityMapsFakeRequest> Requests => [.. _requests];

    /// <summary>Starts a server that accepts <paramref name="token"/>.</summary>
    public static async Task<ElectricityMapsFakeServer> StartAsync(string token)
    {
        var server = new ElectricityMapsFakeServer(token);
        server._app = await LoopbackApp.StartAsync(server.HandleAsync);
        server.Url = server._app.Url;
        return server;
    }

    /// <summary>Sets the JSON body of <paramref name="endpoint"/> (<c>forecast</c>, <c>history</c>, <c>latest</c> or <c>past-range</c>) for <paramref name="zone"/>.</summary>
    public void Set(string zone, string endpoint, string json)
    {
        if (!Endpoints.Contains(endpoint, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Not an endpoint of this fake.");
        }

        _bodies[(zone, endpoint)] = json;
    }

    /// <summary>Answers the next request with <paramref name="respond"/> instead of the normal answer.</summary>
    public void RespondNext(RequestDelegate respond) => _next.Enqueue(respond);

    /// <summary>Answers the next request with <paramref name="status"/>, a body and optional headers.</summary>
    public void RespondNext(int status, string body = "", string contentType = "application/json", params (string Name, string Value)[] headers) =>
        RespondNext(LoopbackApp.Canned(status, body, contentType, headers));

    /// <summary>
    /// Answers every request with <paramref name="respond"/> (after the ones queued by <see cref="RespondNext(RequestDelegate)"/>)
    /// until called again; <c>null</c> goes back to the normal answers. For an outage that lasts, rather than one bad answer.
    /// </summary>
    public void RespondAlways(RequestDelegate? respond) => Volatile.Write(ref _always, respond);

    /// <summary>Holds the next request for <paramref name="delay"/> (or until the client gives up) before answering normally.</summary>
    public void DelayNext(TimeSpan delay) =>
        RespondNext(async context =>
        {
            await Task.Delay(delay, context.RequestAborted);
            await AnswerAsync(context);
        });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }), context.RequestAborted);
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (_next.TryDequeue(out var respond))
            {
                await respond(context);
            }
            else if (Volatile.Read(ref _always) is { } always)
            {
                await always(context);
            }
            else
            {
                await AnswerAsync(context);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (a timeout test).
        }
        finally
        {
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            var token = context.Request.Headers.TryGetValue("auth-token", out var value) ? value.ToString() : null;
            _requests.Enqueue(new ElectricityMapsFakeRequest(context.Request.Path.Value ?? string.Empty, query, token, context.Response.StatusCode));
        }
    }

    private Task AnswerAsync(HttpContext context)
    {
        const string Prefix = "/v3/carbon-intensity/";
        var path = context.Request.Path.Value ?? string.Empty;
        var endpoint = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : null;
        if (context.Request.Method != HttpMethods.Get || endpoint is null || !Endpoints.Contains(endpoint, StringComparer.Ordinal))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, $"Cannot {context.Request.Method} {path}");
        }

        if (!context.Request.Headers.TryGetValue("auth-token", out var token) || string.IsNullOrEmpty(token))
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, "Missing auth-token header");
        }

        if (!string.Equals(token, _token, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("Access denied", context.RequestAborted);
        }

        var zone = context.Request.Query["zone"].ToString();
        if (zone.Length == 0)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, "zone or lat/lon is required");
        }

        if (endpoint == "past-range" && (!context.Request.Query.ContainsKey("start") || !context.Request.Query.ContainsKey("end")))
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, "start and end are required");
        }

        if (!_bodies.TryGetValue((zone, endpoint), out var body))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, $"Zone '{zone}' does not exist or has no data");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
