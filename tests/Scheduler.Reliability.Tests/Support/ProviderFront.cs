using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Reliability.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 in front of a provider's fake API: it passes every request through unchanged
/// (path, query, the <c>auth-token</c> and <c>Authorization</c> headers, and the answer's status, type and body)
/// until a <see cref="ProviderFault"/> is set, and then answers with that fault instead, so that the service sees
/// the failure where it would see it from the real API.
/// </summary>
public sealed class ProviderFront : IAsyncDisposable
{
    private static readonly string[] ForwardedHeaders = ["auth-token", "Authorization"];

    private readonly HttpClient _upstream;
    private LoopbackApp _app = null!;
    private volatile ProviderFault _fault;
    private int _faulted;

    private ProviderFront(Uri upstream)
    {
        _upstream = new HttpClient { BaseAddress = upstream, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The base URL the service is given, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => _app.Url;

    /// <summary>The fault answered now.</summary>
    public ProviderFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>The requests answered with a fault so far.</summary>
    public int FaultedRequests => Volatile.Read(ref _faulted);

    /// <summary>Starts a front passing requests to <paramref name="upstream"/>.</summary>
    public static async Task<ProviderFront> StartAsync(string upstream)
    {
        var front = new ProviderFront(new Uri(upstream.TrimEnd('/') + "/"));
        front._app = await LoopbackApp.StartAsync(front.HandleAsync);
        return front;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var fault = _fault;
        if (fault != ProviderFault.None)
        {
            Interlocked.Increment(ref _faulted);
        }

        try
        {
            switch (fault)
            {
                case ProviderFault.ServerError:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"message":"Internal Server Error"}""", context.RequestAborted);
                    return;
                case ProviderFault.RateLimited:
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "2";
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"message":"Too Many Requests"}""", context.RequestAborted);
                    return;
                case ProviderFault.Garbage:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"data":[{"from":"2026-01-01T00:00Z","intensity":{"forecast":""", context.RequestAborted);
                    return;
                case ProviderFault.Hanging:
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                    return;
                default:
                    await PassThroughAsync(context);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The service gave up waiting (its provider timeout).
        }
    }

    private async Task PassThroughAsync(HttpContext context)
    {
        var target = (context.Request.Path.Value ?? string.Empty).TrimStart('/') + context.Request.QueryString;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, UriKind.Relative));
        foreach (var name in ForwardedHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is MediaTypeHeaderValue type)
        {
            context.Response.ContentType = type.ToString();
        }

        foreach (var header in response.Headers.Where(h => h.Key == "Retry-After"))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
