using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>
/// A local stand-in for api.carbonintensity.org.uk on 127.0.0.1: answers the national and regional
/// fw48h routes with the real responses captured on 2023-12-03 (shared/data/provider-responses), and
/// /intensity/{from}/{to} with the national capture, whose first half-hour has an actual.
/// </summary>
public sealed class UkNesoFakeApi : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private UkNesoFakeApi(LoopbackApp app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's base URL, ending with a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The path and query of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, answers every request instead of the real-API routes.</summary>
    public Func<HttpContext, Task>? Override { get; set; }

    /// <summary>Whether the regional route answers with 'data' as an array (the published API definitions) instead of an object (the live API).</summary>
    public bool RegionalDataAsArray { get; set; }

    /// <summary>The captured national fw48h answer.</summary>
    public static string NationalJson => File.ReadAllText(RepositoryPaths.SharedData("provider-responses", "uk-carbonintensity_national_fw48h_2023-12-03.json"));

    /// <summary>The captured London (region 13) fw48h answer.</summary>
    public static string LondonJson => File.ReadAllText(RepositoryPaths.SharedData("provider-responses", "uk-carbonintensity_regional13-london_fw48h_2023-12-03.json"));

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<UkNesoFakeApi> StartAsync()
    {
        UkNesoFakeApi? self = null;
        var app = await LoopbackApp.StartAsync(context => self!.HandleAsync(context));
        self = new UkNesoFakeApi(app, new Uri(app.Url + "/"));
        return self;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (Override is { } respond)
        {
            await respond(context);
            return;
        }

        var segments = context.Request.Path.Value!.Trim('/').Split('/');
        switch (segments)
        {
            case ["intensity", _, "fw48h"]:
            case ["intensity", _, _]:
                await WriteJsonAsync(context, NationalJson);
                break;
            case ["regional", "intensity", _, "fw48h", "regionid", "13"]:
                await WriteJsonAsync(context, RegionalDataAsArray ? AsArray(LondonJson) : LondonJson);
                break;
            default:
                // The real API answers unknown routes with a JSON error object.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await WriteJsonAsync(context, """{"error":{"code":"400 Bad Request","message":"Please enter a valid request."}}""", StatusCodes.Status400BadRequest);
                break;
        }
    }

    /// <summary>Rewrites the captured <c>{"data":{region}}</c> into the documented <c>{"data":[{region}]}</c>.</summary>
    private static string AsArray(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var region = root["data"]!;
        root.Remove("data");
        root["data"] = new JsonArray(region);
        return root.ToJsonString();
    }

    /// <summary>Writes <paramref name="json"/> with the given status.</summary>
    public static async Task WriteJsonAsync(HttpContext context, string json, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
