using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Extender.RateLimiting;
using Scheduler.Signals.Intensity;

namespace Scheduler.Extender.Endpoints;

/// <summary><c>GET /intensity</c>: every zone's signal, where it comes from, and how well each source has forecast it.</summary>
internal static class IntensityEndpoints
{
    public static IEndpointRouteBuilder MapIntensityStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/intensity", (IntensityService service, IntensityCache cache, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(new
            {
                now,
                zones = service.Status().Select(status =>
                {
                    var forecast = cache.Find(status.Zone);
                    return new
                    {
                        zone = status.Zone,
                        provider = status.Provider,
                        origin = status.Origin?.ToString(),
                        source = forecast?.Source,
                        signal = forecast?.Signal.ToString(),
                        currentGramsPerKwh = forecast?.Series.ValueAt(now),
                        forecastIssuedAt = forecast?.IssuedAt,
                        forecastEnd = forecast?.Series.End,
                        lastSuccess = status.LastSuccess,
                        lastError = status.LastError?.ToString(),
                        nextAttempt = status.NextAttempt,
                    };
                }),
                forecastErrors = service.ForecastErrors().Select(e => new
                {
                    zone = e.Zone,
                    source = e.Source,
                    meanAbsoluteErrorGramsPerKwh = Math.Round(e.MeanAbsoluteErrorGramsPerKwh, 3),
                    count = e.Count,
                }),
            });
        }).RequireRateLimiting(RequestLimits.Intensity);
        return endpoints;
    }
}
