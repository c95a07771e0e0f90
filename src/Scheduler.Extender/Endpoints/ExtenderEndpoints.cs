using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Extending;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Wire;

namespace Scheduler.Extender.Endpoints;

/// <summary>The kube-scheduler extender verbs: <c>POST /filter</c> and <c>POST /prioritize</c>.</summary>
internal static partial class ExtenderEndpoints
{
    private const string JsonContentType = "application/json";

    // Go's decoder reads any valid JSON string; relaxed escaping keeps reasons readable in logs and kubectl.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapExtender(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/filter", FilterAsync);
        endpoints.MapPost("/prioritize", PrioritizeAsync);
        return endpoints;
    }

    private static async Task FilterAsync(
        HttpContext context,
        ExtenderService service,
        SchedulerMetrics metrics,
        NodeFields fields,
        IOptions<ExtenderOptions> options,
        ILogger<ExtenderService> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        RequestBody? body = null;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
            var args = ExtenderArgsReader.Read(body.Span, fields);
            FilterResult result;
            try
            {
                result = service.Filter(args);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Filtering is a preference, never a reason to block scheduling: pass every node.
                outcome = "fault";
                metrics.RecordFault("filter");
                LogFault(logger, e, "filter");
                result = new FilterResult(Enumerable.Range(0, args.CandidateNames.Count).ToList(), new Dictionary<string, string>());
            }

            context.Response.ContentType = JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
            ExtenderResponseWriter.WriteFilterResult(writer, body.Span, args, result.Passed, result.Failed);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ExtenderRequestException e)
        {
            outcome = "bad_request";
            await BadRequestAsync(context, e.Message).ConfigureAwait(false);
        }
        finally
        {
            body?.Dispose();
            metrics.RecordRequest("filter", outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task PrioritizeAsync(
        HttpContext context,
        ExtenderService service,
        SchedulerMetrics metrics,
        NodeFields fields,
        IOptions<ScoringOptions> scoring,
        IOptions<ExtenderOptions> options,
        ILogger<ExtenderService> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            ExtenderArgs args;
            using (var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false))
            {
                args = ExtenderArgsReader.Read(body.Span, fields);
            }

            NodeScore[] scores;
            try
            {
                scores = service.Prioritize(args);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The scheduler drops a failed prioritize anyway; neutral scores keep the answer well-formed.
                outcome = "fault";
                metrics.RecordFault("prioritize");
                LogFault(logger, e, "prioritize");
                scores = ExtenderService.Neutral(args, scoring.Value.NeutralScore);
            }

            context.Response.ContentType = JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
            ExtenderResponseWriter.WriteHostPriorities(writer, scores);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ExtenderRequestException e)
        {
            outcome = "bad_request";
            await BadRequestAsync(context, e.Message).ConfigureAwait(false);
        }
        finally
        {
            metrics.RecordRequest("prioritize", outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = JsonContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("Error", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Internal fault while answering {Verb}; answering without carbon preference")]
    private static partial void LogFault(ILogger logger, Exception exception, string verb);
}
