using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Telemetry;

namespace Scheduler.Extender.Hosting;

/// <summary>
/// Answers requests to the paths of <see cref="TlsOptions.ClientCertificatePaths"/> only when they come with a client
/// certificate issued by the CAs of <see cref="TlsOptions.ClientCaFile"/>; others get 403 with <c>{"Error":"..."}</c>.
/// The HTTPS listener only asks for a certificate (the API server calls the webhook on the same port without one),
/// so the decision is made here, per path. Requests over plain HTTP carry no certificate and are refused the same way.
/// </summary>
internal sealed partial class ClientCertificateGate(
    RequestDelegate next,
    ClientCertificateAuthorities authorities,
    IOptions<TlsOptions> options,
    SchedulerMetrics metrics,
    ILogger<ClientCertificateGate> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsProtected(context.Request.Path, options.Value.ClientCertificatePaths))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var verdict = authorities.Check(context.Connection.ClientCertificate);
        if (verdict == ClientCertificateVerdict.Trusted)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (reason, message) = verdict == ClientCertificateVerdict.Missing
            ? ("client_certificate_missing", $"{context.Request.Path} needs a client certificate issued by the CA of Tls:ClientCaFile; none was presented (over HTTPS).")
            : ("client_certificate_untrusted", $"{context.Request.Path} needs a client certificate issued by the CA of Tls:ClientCaFile; the one presented is not (or has expired, or is not for client authentication).");
        metrics.RecordRejected(reason);
        LogRejected(logger, context.Request.Path, reason, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        await JsonError.WriteAsync(context, StatusCodes.Status403Forbidden, message).ConfigureAwait(false);
    }

    internal static bool IsProtected(PathString path, IReadOnlyList<string> protectedPaths)
    {
        foreach (var candidate in protectedPaths)
        {
            if (path.StartsWithSegments(candidate.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Path} from {Remote}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason, string remote);
}
