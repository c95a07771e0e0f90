using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Scheduler.Extender.Hosting;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>The routes the extender service really maps, read from the application the service builds.</summary>
internal static class AppRoutes
{
    private static readonly Lazy<IReadOnlySet<string>> Paths = new(Read);

    /// <summary>Every route pattern of the service, e.g. <c>/filter</c>, <c>/mutate/jobs</c>, <c>/healthz</c>.</summary>
    public static IReadOnlySet<string> All => Paths.Value;

    private static HashSet<string> Read()
    {
        var app = ExtenderApp.Build([]);
        try
        {
            return [.. ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .Select(endpoint => "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/'))];
        }
        finally
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
