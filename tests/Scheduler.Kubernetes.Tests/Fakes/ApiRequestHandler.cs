using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// Answers one HTTP request as the API server does: routes it to a resource and verb, records it, answers
/// an injected failure if one is queued for it, and otherwise serves it from the <see cref="ResourceStore"/>,
/// writing refusals as <c>Status</c> bodies.
/// </summary>
internal sealed class ApiRequestHandler(ResourceStore store, RequestJournal journal, CancellationToken stopping)
{
    /// <summary>Answers <paramref name="context"/>'s request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        var path = http.Path.Value ?? string.Empty;
        var query = http.Query.ToDictionary(p => p.Key, p => p.Value.LastOrDefault() ?? string.Empty, StringComparer.Ordinal);
        var route = ResourceRoute.Parse(http.Method, path, query.GetValueOrDefault("watch") is "true" or "1");
        string? body = null;
        if (!HttpMethods.IsGet(http.Method))
        {
            using var reader = new StreamReader(http.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var request = new RecordedRequest(http.Method, path, query, route?.Kind ?? ApiRequestKind.Other)
        {
            Namespace = route?.Namespace,
            Name = route?.Name,
            ContentType = http.ContentType,
            Body = string.IsNullOrEmpty(body) ? null : body,
        };
        if (journal.Record(request) is { } failure)
        {
            if (failure.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = JsonObjects.Format(seconds);
            }

            await WriteAsync(context, failure.StatusCode, failure.ContentType, failure.Body);
            return;
        }

        try
        {
            if (route is null)
            {
                throw new ApiStatusException(StatusResponses.UnknownPath());
            }

            if (!route.IsServed)
            {
                throw new ApiStatusException(StatusResponses.MethodNotAllowed());
            }

            await ServeAsync(context, route, request);
        }
        catch (ApiStatusException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e.Code, "application/json", StatusResponses.ToJson(e.Status));
        }
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, string contentType, string body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static Task WriteObjectAsync(HttpContext context, int statusCode, JsonObject json) =>
        WriteAsync(context, statusCode, "application/json", JsonObjects.Serialize(json));

    private static JsonObject ParseBody(RecordedRequest request)
    {
        try
        {
            return JsonObjects.Parse(request.Body ?? string.Empty);
        }
        catch (JsonException e)
        {
            throw new ApiStatusException(StatusResponses.BadRequest($"couldn't get version/kind; json parse error: {e.Message}"));
        }
    }

    private static WriteOptions OptionsOf(RecordedRequest request) => WriteOptions.Api with { DryRun = request.Parameter("dryRun") == "All" };

    private static DeleteRequest DeleteRequestOf(RecordedRequest request)
    {
        // DeleteOptions come in the body (KubernetesClient sends one) or as query parameters.
        var options = request.Body is { } body ? ParseBody(request with { Body = body }) : [];
        var policy = request.Parameter("propagationPolicy") ?? JsonObjects.StringAt(options, "propagationPolicy");
        if (policy is null && JsonObjects.At(options, "orphanDependents") is JsonValue orphan)
        {
            policy = orphan.GetValue<bool>() ? "Orphan" : "Background";
        }

        var dryRun = request.Parameter("dryRun") == "All" || (options["dryRun"] is JsonArray modes && modes.Any(m => m?.GetValue<string>() == "All"));
        return new DeleteRequest(
            policy,
            JsonObjects.StringAt(options, "preconditions", "uid"),
            JsonObjects.StringAt(options, "preconditions", "resourceVersion"),
            dryRun);
    }

    private async Task ServeAsync(HttpContext context, ResourceRoute route, RecordedRequest request)
    {
        var (type, ns, name) = (route.Type, route.Namespace, route.Name ?? string.Empty);
        switch (route.Verb)
        {
            case ApiVerb.List:
                var list = store.List(type, ns, LabelSelector.Parse(request.LabelSelector), FieldSelector.Parse(request.FieldSelector, type), request.Limit, request.Continue);
                await WriteAsync(context, 200, "application/json", list);
                break;
            case ApiVerb.Watch:
                var watch = store.Watch(type, ns, route.Name, LabelSelector.Parse(request.LabelSelector), FieldSelector.Parse(request.FieldSelector, type), request.ResourceVersion, request.AllowWatchBookmarks);
                try
                {
                    await WatchStream.ServeAsync(context, watch, request.TimeoutSeconds, stopping);
                }
                finally
                {
                    store.Unwatch(watch);
                }

                break;
            case ApiVerb.Get:
                await WriteObjectAsync(context, 200, store.Get(type, ns, name));
                break;
            case ApiVerb.Create:
                await WriteObjectAsync(context, 201, store.Create(type, ns, ParseBody(request), OptionsOf(request)));
                break;
            case ApiVerb.Update:
                var replacement = ParseBody(request);
                await WriteObjectAsync(context, 200, store.Update(type, ns, name, _ => replacement, OptionsOf(request) with { IsReplace = true }));
                break;
            case ApiVerb.Patch:
                // The content type is checked before the object is looked up, as the API server does.
                Patches.EnsureSupported(request.ContentType);
                var patch = request.Body ?? string.Empty;
                await WriteObjectAsync(context, 200, store.Update(type, ns, name, current => Patches.Apply(request.ContentType, current, patch), OptionsOf(request) with { IsPatch = true }));
                break;
            case ApiVerb.Delete:
                await WriteObjectAsync(context, 200, store.Delete(type, ns, name, DeleteRequestOf(request)));
                break;
        }
    }
}
