using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that answers the WattTime v3 API as it does
/// (carbon-sources.md §2.2):
/// <list type="bullet">
/// <item><c>GET /login</c> with HTTP basic auth: <c>{"token":"…"}</c>, a token valid for 30 minutes by
/// the given clock; wrong credentials: 403, none: 401;</item>
/// <item><c>GET /v3/forecast</c> and <c>GET /v3/historical</c> with <c>Authorization: Bearer</c>: the
/// JSON body set for the region; a missing, unknown, revoked or expired token: 401; no <c>region</c>,
/// a <c>signal_type</c> other than <c>co2_moer</c>, or <c>historical</c> without <c>start</c>/<c>end</c>: 400;
/// a region without data: 404; error bodies are JSON <c>{"error": …}</c>.</item>
/// </list>
/// Tests can replace the next answers of a path (<see cref="RespondNext(string, RequestDelegate)"/>), revoke tokens and read the requests received.
/// </summary>
public sealed class WattTimeFakeServer : IAsyncDisposable
{
    /// <summary>How long a token is honoured.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);

    private LoopbackApp _app = null!;
    private readonly string _username;
    private readonly string _password;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Region, string Endpoint), string> _bodies = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RequestDelegate>> _next = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WattTimeFakeRequest> _requests = new();
    private int _issued;

    private WattTimeFakeServer(string username, string password, TimeProvider time)
    {
        _username = username;
        _password = password;
        _time = time;
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<WattTimeFakeRequest> Requests => [.. _requests];

    /// <summary>The logins answered with a token.</summary>
    public int SuccessfulLogins => Requests.Count(r => r.Path == "/login" && r.Status == StatusCodes.Status200OK);

    /// <summary>The tokens issued so far, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _tokens.OrderBy(t => t.Value).Select(t => t.Key)];

    /// <summary>Starts a server that accepts <paramref name="username"/>/<paramref name="password"/> and ages tokens by <paramref name="time"/>.</summary>
    public static async Task<WattTimeFakeServer> StartAsync(string username, string password, TimeProvider time)
    {
        var server = new WattTimeFakeServer(username, password, time);
        server._app = await LoopbackApp.StartAsync(server.HandleAsync);
        server.Url = server._app.Url;
        return server;
    }

    /// <summary>Sets the JSON body of <paramref name="endpoint"/> (<c>forecast</c> or <c>historical</c>) for <paramref name="region"/>.</summary>
    public void Set(string region, string endpoint, string json) => _bodies[(region, endpoint)] = json;

    /// <summary>Makes every token issued so far invalid, as a revocation on the server would.</summary>
    public void RevokeTokens() => _tokens.Clear();

    /// <summary>Answers the next request to <paramref name="path"/> with <paramref name="respond"/> instead of the normal answer.</summary>
    public void RespondNext(string path, RequestDelegate respond) => _next.GetOrAdd(path, _ => new()).Enqueue(respond);

    /// <summary>Answers the next request to <paramref name="path"/> with <paramref name="status"/>, a body and optional headers.</summary>
    public void RespondNext(string path, int status, string body = "", string contentType = "application/json", params (string Name, string Value)[] headers) =>
        RespondNext(path, LoopbackApp.Canned(status, body, contentType, headers));

    /// <summary>Holds the next request to <paramref name="path"/> for <paramref name="delay"/> (or until the client gives up) before answering normally.</summary>
    public void DelayNext(string path, TimeSpan delay) =>
        RespondNext(path, async context =>
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
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }), context.RequestAborted);
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (_next.TryGetValue(path, out var queue) && queue.TryDequeue(out var respond))
            {
                await respond(context);
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
            var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
            _requests.Enqueue(new WattTimeFakeRequest(context.Request.Path.Value ?? string.Empty, query, authorization, context.Response.StatusCode));
        }
    }

    private Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (context.Request.Method != HttpMethods.Get)
        {
            return ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed");
        }

        return path switch
        {
            "/login" => LoginAsync(context),
            "/v3/forecast" => DataAsync(context, "forecast"),
            "/v3/historical" => DataAsync(context, "historical"),
            _ => ErrorAsync(context, StatusCodes.Status404NotFound, $"No route {path}"),
        };
    }

    private Task LoginAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, "Authentication credentials were not provided.");
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        }
        catch (FormatException)
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, "Invalid basic header.");
        }

        if (!string.Equals(credentials, $"{_username}:{_password}", StringComparison.Ordinal))
        {
            return ErrorAsync(context, StatusCodes.Status403Forbidden, "Invalid username or password.");
        }

        var token = $"eyJ.fake-jwt-{Interlocked.Increment(ref _issued)}.sig";
        _tokens[token] = _time.GetUtcNow();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = token }), context.RequestAborted);
    }

    private Task DataAsync(HttpContext context, string endpoint)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        if (token is null || !_tokens.TryGetValue(token, out var issuedAt) || _time.GetUtcNow() - issuedAt >= TokenLifetime)
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, "Invalid or expired token.");
        }

        var region = context.Request.Query["region"].ToString();
        if (region.Length == 0)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, "region is required.");
        }

        if (context.Request.Query["signal_type"].ToString() != "co2_moer")
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, "Unsupported signal_type.");
        }

        if (endpoint == "historical" && (!context.Request.Query.ContainsKey("start") || !context.Request.Query.ContainsKey("end")))
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, "start and end are required.");
        }

        if (!_bodies.TryGetValue((region, endpoint), out var body))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, $"No data for region {region}.");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
