using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Telemetry;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// With the HTTPS listener on, keeps the plain HTTP port to the paths of <see cref="TlsOptions.PlainHttpPathsInForce"/>
/// (by default the probes and <c>/metrics</c>, which the kubelet and Prometheus read without TLS); any other request over
/// plain HTTP gets 403 with <c>{"Error":"..."}</c> naming the HTTPS port, so that the scheduler's and the webhook's
/// traffic, and the reports, never cross the network in clear.
/// </summary>
internal sealed partial class PlainHttpGate(RequestDelegate next, IOptions<TlsOptions> options, SchedulerMetrics metrics, ILogger<PlainHttpGate> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps || ClientCertificateGate.IsProtected(context.Request.Path, options.Value.PlainHttpPathsInForce))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        metrics.RecordRejected("plain_http");
        var path = context.Request.Path.Value ?? "/";
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        LogRefused(logger, path, remote);

        var port = options.Value.Port > 0 ? $" (port {options.Value.Port})" : string.Empty;
        var message = $"{path} is served over HTTPS only{port}; plain HTTP serves {string.Join(", ", options.Value.PlainHttpPathsInForce)}.";
        await JsonError.WriteAsync(context, StatusCodes.Status403Forbidden, message).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Path} over plain HTTP from {Remote}: HTTPS only")]
    private static partial void LogRefused(ILogger logger, string path, string remote);
}
