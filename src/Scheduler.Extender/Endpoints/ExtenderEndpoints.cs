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
using Scheduler.Extender.RateLimiting;
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
        endpoints.MapPost("/filter", FilterAsync).RequireRateLimiting(RequestLimits.Scheduler);
        endpoints.MapPost("/prioritize", PrioritizeAsync).RequireRateLimiting(RequestLimits.Scheduler);
        return endpoints;
    }

    private static Task FilterAsync(
        HttpContext context,
        ExtenderService service,
        SchedulerMetrics metrics,
        NodeFields fields,
        IOptions<ExtenderOptions> options,
        ILogger<ExtenderService> logger) =>
        AnswerAsync(
            context,
            "filter",
            metrics,
            fields,
            options.Value.MaxRequestBytes,
            logger,
            service.Filter,

            // Filtering is a preference, never a reason to block scheduling: pass every node.
            args => new FilterResult(Enumerable.Range(0, args.CandidateNames.Count).ToList(), new Dictionary<string, string>()),
            (writer, body, args, result) => ExtenderResponseWriter.WriteFilterResult(writer, body.Span, args, result.Passed, result.Failed));

    private static Task PrioritizeAsync(
        HttpContext context,
        ExtenderService service,
        SchedulerMetrics metrics,
        NodeFields fields,
        IOptions<ScoringOptions> scoring,
        IOptions<ExtenderOptions> options,
        ILogger<ExtenderService> logger) =>
        AnswerAsync(
            context,
            "prioritize",
            metrics,
            fields,
            options.Value.MaxRequestBytes,
            logger,
            service.Prioritize,

            // The scheduler drops a failed prioritize anyway; neutral scores keep the answer well-formed.
            args => ExtenderService.Neutral(args, scoring.Value.NeutralScore),
            (writer, _, _, scores) => ExtenderResponseWriter.WriteHostPriorities(writer, scores));

    /// <summary>
    /// The shape both verbs share: read and parse the body (400 on bad input), compute the answer
    /// (the fallback on an internal fault), write it, and time the request by outcome.
    /// </summary>
    private static async Task AnswerAsync<TAnswer>(
        HttpContext context,
        string verb,
        SchedulerMetrics metrics,
        NodeFields fields,
        int maxRequestBytes,
        ILogger logger,
        Func<ExtenderArgs, TAnswer> compute,
        Func<ExtenderArgs, TAnswer> fallback,
        Action<Utf8JsonWriter, RequestBody, ExtenderArgs, TAnswer> write)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        RequestBody? body = null;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, maxRequestBytes, context.RequestAborted).ConfigureAwait(false);
            var args = ExtenderArgsReader.Read(body.Span, fields);
            TAnswer answer;
            try
            {
                answer = compute(args);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = "fault";
                metrics.RecordFault(verb);
                LogFault(logger, e, verb);
                answer = fallback(args);
            }

            context.Response.ContentType = JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
            write(writer, body, args, answer);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ExtenderRequestException e)
        {
            outcome = "bad_request";
            await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
        }
        catch (RequestTooLargeException e)
        {
            outcome = "too_large";
            await JsonError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, e.Message).ConfigureAwait(false);
        }
        finally
        {
            body?.Dispose();
            metrics.RecordRequest(verb, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Internal fault while answering {Verb}; answering without carbon preference")]
    private static partial void LogFault(ILogger logger, Exception exception, string verb);
}
