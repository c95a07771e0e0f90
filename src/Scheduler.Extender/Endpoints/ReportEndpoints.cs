using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.RateLimiting;
using Scheduler.Reporting;

namespace Scheduler.Extender.Endpoints;

/// <summary>
/// <c>GET /reports/savings</c>: the carbon savings report from the ledger, as the <c>carbon report</c>
/// command makes it. Query: <c>from</c> and <c>to</c> (ISO 8601; the last 30 days by default),
/// <c>namespace</c>, <c>team</c>, <c>job</c> (with <c>namespace</c>) and <c>format</c>
/// (<c>html</c>, the default, <c>csv</c>, <c>json</c> or <c>md</c>). A bad query gets HTTP 400, and a ledger that
/// cannot be read HTTP 503, each with <c>{"Error":"..."}</c>.
/// </summary>
internal static partial class ReportEndpoints
{
    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reports/savings", AnswerAsync).RequireRateLimiting(RequestLimits.Reports);
        return endpoints;
    }

    private static async Task AnswerAsync(HttpContext context, SavingsReportBuilder builder, TimeProvider time, ILogger<SavingsReportBuilder> logger)
    {
        var query = context.Request.Query;
        var problems = new List<string>();
        var until = Time(query["to"], "to", problems) ?? time.GetUtcNow();
        var from = Time(query["from"], "from", problems) ?? until - DefaultPeriod;
        var format = ReportFormat.Html;
        if (query["format"] is { Count: > 0 } formatText && !ReportFormats.TryParse(formatText.ToString(), out format))
        {
            problems.Add($"format '{formatText}' must be one of {ReportFormats.Names}");
        }

        var request = new SavingsReportRequest(from, until, Text(query["namespace"]), Text(query["team"]), Text(query["job"]));
        problems.AddRange(request.Validate());
        if (problems.Count > 0)
        {
            await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest, string.Join("; ", problems)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = ReportFormats.ContentType(format);
        if (format != ReportFormat.Html)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"carbon-savings-{from:yyyyMMdd}-{until:yyyyMMdd}.{ReportFormats.Extension(format)}");
            context.Response.Headers.ContentDisposition = $"inline; filename=\"{name}\"";
        }

        try
        {
            var body = new StartOnWriteStream(context.Response.Body);
            await using (body.ConfigureAwait(false))
            {
                await SavingsReportWriters.WriteAsync(builder, request, format, body, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // The ledger is down: say so rather than send half a report.
            LogFailed(logger, e);
            context.Response.Headers.ContentDisposition = default;
            await JsonError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "the carbon ledger could not be read: " + e.Message).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset? Time(Microsoft.Extensions.Primitives.StringValues values, string name, List<string> problems)
    {
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(values.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        problems.Add($"{name} '{values}' is not an ISO 8601 time such as 2026-11-01T00:00:00Z");
        return null;
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 || string.IsNullOrWhiteSpace(values.ToString()) ? null : values.ToString();

    [LoggerMessage(Level = LogLevel.Error, Message = "The savings report failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
