using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Scheduler.Tests.Shared;

namespace Scheduler.Signals.Tests.Providers.Fakes;

/// <summary>
/// A local stand-in for a Carbon Aware SDK WebAPI on 127.0.0.1, answering as the SDK's controllers do
/// (carbon-sources.md §1.5): <c>/emissions/forecasts/current</c> with camelCase EmissionsForecastDTOs
/// (duration in whole minutes) built from the real German forecast in de_casdk-format_2024-03-24.json,
/// and <c>/emissions/bylocation</c> with EmissionsData (duration as a TimeSpan string) from the SDK's
/// own test-data-aws-emissions.json, filtered as the SDK's JSON source does; 204 when nothing matches,
/// 400 ValidationProblemDetails for an unknown location.
/// </summary>
public sealed class CarbonAwareSdkFakeApi : IAsyncDisposable
{
    /// <summary>The location whose forecast is the German capture.</summary>
    public const string ForecastLocation = "germanywestcentral";

    private readonly LoopbackApp _app;

    private CarbonAwareSdkFakeApi(LoopbackApp app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's base URL, ending with a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The path and query of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization header of the last request, if any.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>When set, answers every request instead of the real-API routes.</summary>
    public Func<HttpContext, Task>? Override { get; set; }

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<CarbonAwareSdkFakeApi> StartAsync()
    {
        CarbonAwareSdkFakeApi? self = null;
        var app = await LoopbackApp.StartAsync(context => self!.HandleAsync(context));
        self = new CarbonAwareSdkFakeApi(app, new Uri(app.Url + "/"));
        return self;
    }

    /// <summary>The German capture as an EmissionsForecastDTO array, trailing placeholder zeros left out as a live SDK source would not send them.</summary>
    public static string ForecastJson(string location)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.SharedData("provider-responses", "de_casdk-format_2024-03-24.json")));
        var points = file.RootElement.GetProperty("Emissions").EnumerateArray()
            .Select(e => (Time: e.GetProperty("Time").GetDateTimeOffset(), Rating: e.GetProperty("Rating").GetDouble(), Duration: TimeSpan.Parse(e.GetProperty("Duration").GetString()!, CultureInfo.InvariantCulture)))
            .Where(p => p.Rating != 0)
            .ToList();
        var data = new JsonArray(points.Select(p => (JsonNode)new JsonObject
        {
            ["location"] = location,
            ["timestamp"] = p.Time.ToString("O", CultureInfo.InvariantCulture),
            ["duration"] = (int)p.Duration.TotalMinutes,
            ["value"] = p.Rating,
        }).ToArray());
        var best = points.MinBy(p => p.Rating);
        var dto = new JsonObject
        {
            ["generatedAt"] = file.RootElement.GetProperty("GeneratedAt").GetString(),
            ["requestedAt"] = file.RootElement.GetProperty("GeneratedAt").GetString(),
            ["location"] = location,
            ["dataStartAt"] = points[0].Time.ToString("O", CultureInfo.InvariantCulture),
            ["dataEndAt"] = (points[^1].Time + points[^1].Duration).ToString("O", CultureInfo.InvariantCulture),
            ["windowSize"] = 0,
            ["optimalDataPoints"] = new JsonArray(new JsonObject
            {
                ["location"] = location,
                ["timestamp"] = best.Time.ToString("O", CultureInfo.InvariantCulture),
                ["duration"] = (int)best.Duration.TotalMinutes,
                ["value"] = best.Rating,
            }),
            ["forecastData"] = data,
        };
        return new JsonArray(dto).ToJsonString();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Writes <paramref name="json"/> with the given status.</summary>
    public static async Task WriteJsonAsync(HttpContext context, string json, int status = StatusCodes.Status200OK, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(json);
    }

    private static string UnknownLocation(string location) =>
        new JsonObject
        {
            ["title"] = "ArgumentException",
            ["status"] = 400,
            ["detail"] = $"Unknown region: Region name '{location}' not found",
            ["errors"] = new JsonObject(),
        }.ToJsonString();

    private static string? ByLocationJson(string location, DateTimeOffset start, DateTimeOffset end)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.SharedData("provider-responses", "test-data-aws-emissions.json")));
        var records = file.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("Location").GetString() == location)
            .Select(e => (Time: e.GetProperty("Time").GetDateTimeOffset(), Rating: e.GetProperty("Rating").GetDouble(), Duration: TimeSpan.Parse(e.GetProperty("Duration").GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
        // The SDK's JSON source widens the query by MinSamplingWindow (1440 min) and keeps records with
        // Time + Duration > start && Time <= end, so it answers with more than was asked for.
        var wideStart = start.AddMinutes(-1440);
        var wideEnd = end.AddMinutes(1440);
        var kept = records.Where(r => r.Time + r.Duration > wideStart && r.Time <= wideEnd).ToList();
        if (kept.Count == 0)
        {
            return null;
        }

        return new JsonArray(kept.Select(r => (JsonNode)new JsonObject
        {
            ["location"] = location,
            ["time"] = r.Time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["rating"] = r.Rating,
            ["duration"] = r.Duration.ToString("c", CultureInfo.InvariantCulture),
        }).ToArray()).ToJsonString();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        LastAuthorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (Override is { } respond)
        {
            await respond(context);
            return;
        }

        var location = context.Request.Query["location"].FirstOrDefault() ?? string.Empty;
        switch (context.Request.Path.Value)
        {
            case "/emissions/forecasts/current" when location == ForecastLocation:
                await WriteJsonAsync(context, ForecastJson(location));
                break;
            case "/emissions/bylocation":
                var start = DateTimeOffset.Parse(context.Request.Query["time"]!, CultureInfo.InvariantCulture);
                var end = DateTimeOffset.Parse(context.Request.Query["toTime"]!, CultureInfo.InvariantCulture);
                if (ByLocationJson(location, start, end) is { } json)
                {
                    await WriteJsonAsync(context, json);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                }

                break;
            default:
                await WriteJsonAsync(context, UnknownLocation(location), StatusCodes.Status400BadRequest, "application/problem+json");
                break;
        }
    }
}
