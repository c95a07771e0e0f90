using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.Telemetry;

namespace Scheduler.Extender.RateLimiting;

/// <summary>
/// The rate-limiting policies of <see cref="RateLimitsOptions"/>, one per kind of caller, attached to their endpoints;
/// endpoints without a policy (probes, <c>/metrics</c>) are never limited. A refusal is HTTP 429 with
/// <c>Retry-After</c> and <c>{"Error":"..."}</c>, counted as <c>rate_limited</c> in the rejected-requests metric.
/// </summary>
internal static partial class RequestLimits
{
    /// <summary>The policy of <c>/filter</c> and <c>/prioritize</c>: kube-scheduler.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>The policy of <c>/mutate/*</c>: the API server.</summary>
    public const string Admission = "admission";

    /// <summary>The policy of <c>GET /reports/savings</c>: people and dashboards, per client.</summary>
    public const string Reports = "reports";

    /// <summary>The policy of <c>GET /intensity</c>: people and dashboards, per client.</summary>
    public const string Intensity = "intensity";

    // A concurrency limiter cannot say when a slot frees; scheduler and webhook calls last milliseconds.
    private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(Scheduler, context => Concurrency(Settings(context).SchedulerConcurrency));
            limiter.AddPolicy(Admission, context => Concurrency(Settings(context).AdmissionConcurrency));
            limiter.AddPolicy(Reports, context => PerClient(context, Settings(context).ReportsPerMinute));
            limiter.AddPolicy(Intensity, context => PerClient(context, Settings(context).IntensityPerMinute));
        });
        return services;
    }

    /// <summary>The key a per-client limit counts under: the subject of a trusted client certificate, else the remote address.</summary>
    internal static string ClientOf(HttpContext context)
    {
        // Only a certificate the configured CAs issued names a client: anyone can make one with any subject.
        var certificate = context.Connection.ClientCertificate;
        if (certificate is not null
            && context.RequestServices.GetService<ClientCertificateAuthorities>() is { } authorities
            && authorities.Check(certificate) == ClientCertificateVerdict.Trusted)
        {
            return "subject:" + certificate.Subject;
        }

        return "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static RateLimitsOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitsOptions>>().Value;

    private static RateLimitPartition<string> Concurrency(int permits) =>
        permits == 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetConcurrencyLimiter("all", _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 });

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute)
    {
        if (perMinute == 0)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        // Refilled a little at a time rather than all at once each minute, so a client that spent its burst
        // waits seconds, not up to a minute. Partitioned limiters are refilled on a 100 ms tick at best.
        var (period, tokens) = perMinute >= 60
            ? (TimeSpan.FromSeconds(1), (perMinute + 59) / 60)
            : (TimeSpan.FromSeconds(60.0 / perMinute), 1);
        return RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : ConcurrencyRetryAfter;
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.RequestServices.GetRequiredService<SchedulerMetrics>().RecordRejected("rate_limited");
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLimits));
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var path = context.Request.Path.ToString();
            var client = ClientOf(context);
            LogRefused(logger, path, client);
        }

        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await JsonError.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            string.Create(CultureInfo.InvariantCulture, $"Too many requests to {context.Request.Path} (RateLimits); retry after {seconds} s.")).ConfigureAwait(false);
    }

    // Debug: a caller over its limit would otherwise write a line per refused request.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Path} from {Client}: rate limited")]
    private static partial void LogRefused(ILogger logger, string path, string client);
}
