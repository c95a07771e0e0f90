using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.RateLimiting;
using Scheduler.Extender.Telemetry;
using Scheduler.Extender.Wire;
using Scheduler.Kubernetes.Admission;

namespace Scheduler.Extender.Endpoints;

/// <summary>
/// The mutating admission webhook: <c>POST /mutate/jobs</c> and <c>POST /mutate/pods</c> answer
/// <c>admission.k8s.io/v1</c> AdmissionReviews. It needs no cluster access: everything it decides
/// on is in the review.
/// </summary>
internal static partial class AdmissionEndpoints
{
    private const string JsonContentType = "application/json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapAdmission(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/mutate/jobs", (HttpContext context, JobAdmission jobs, AdmissionMetrics metrics, SchedulerMetrics faults, IOptions<ExtenderOptions> options, ILogger<JobAdmission> logger) =>
            AnswerAsync(context, "jobs", jobs, metrics, faults, options.Value.MaxRequestBytes, logger)).RequireRateLimiting(RequestLimits.Admission);
        endpoints.MapPost("/mutate/pods", (HttpContext context, PodAdmission pods, AdmissionMetrics metrics, SchedulerMetrics faults, IOptions<ExtenderOptions> options, ILogger<PodAdmission> logger) =>
            AnswerAsync(context, "pods", pods, metrics, faults, options.Value.MaxRequestBytes, logger)).RequireRateLimiting(RequestLimits.Admission);
        return endpoints;
    }

    /// <summary>
    /// Reads the review (HTTP 400 with a message when it is not one), decides, and answers. An
    /// internal fault allows the object untouched: with the usual <c>failurePolicy</c> a failed call
    /// would otherwise block every Job in the cluster, and running a Job at once is always safe.
    /// </summary>
    private static async Task AnswerAsync(
        HttpContext context,
        string resource,
        IAdmissionReviewer reviewer,
        AdmissionMetrics metrics,
        SchedulerMetrics faults,
        int maxRequestBytes,
        ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = AdmissionMetrics.Decision.Invalid;
        try
        {
            AdmissionRequest request;
            using (var body = await RequestBody.ReadAsync(context.Request, maxRequestBytes, context.RequestAborted, "an admission.k8s.io/v1 AdmissionReview").ConfigureAwait(false))
            {
                request = AdmissionReviewReader.Read(body.Span);
            }

            AdmissionDecision answer;
            try
            {
                answer = reviewer.Review(request);
            }
            catch (Exception e) when (e is not (OperationCanceledException or AdmissionReviewException))
            {
                LogFault(logger, e, resource, request.Uid);
                faults.RecordFault($"mutate/{resource}");
                answer = AdmissionDecision.Untouched("internal fault", $"carbon-aware.io: the admission webhook failed internally, so the {resource[..^1]} is not deferred and runs now");
            }

            decision = answer.Outcome switch
            {
                AdmissionOutcome.Held => AdmissionMetrics.Decision.Held,
                AdmissionOutcome.Denied => AdmissionMetrics.Decision.Denied,
                _ => AdmissionMetrics.Decision.Untouched,
            };
            // Every Job and Pod of the cluster may pass here; only what was held or denied is news.
            var level = answer.Outcome == AdmissionOutcome.Untouched ? LogLevel.Debug : LogLevel.Information;
            LogDecision(logger, level, resource, request.Namespace ?? string.Empty, request.Name ?? string.Empty, request.Uid, answer.Outcome, answer.Reason);
            context.Response.ContentType = JsonContentType;
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
            AdmissionReviewWriter.Write(writer, request, answer);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ExtenderRequestException or AdmissionReviewException)
        {
            LogInvalid(logger, resource, e.Message);
            await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
        }
        catch (RequestTooLargeException e)
        {
            LogInvalid(logger, resource, e.Message);
            await JsonError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, e.Message).ConfigureAwait(false);
        }
        finally
        {
            metrics.Record(resource, decision, Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(Message = "Admission of {Resource} {Namespace}/{Name} (review {Uid}): {Outcome}, {Reason}")]
    private static partial void LogDecision(ILogger logger, LogLevel level, string resource, string @namespace, string name, string uid, AdmissionOutcome outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable admission review for {Resource}: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string resource, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Internal fault while reviewing {Resource} (review {Uid}); allowing it untouched")]
    private static partial void LogFault(ILogger logger, Exception exception, string resource, string uid);
}
