using Microsoft.AspNetCore.Http;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>Writes a watch as the API server does: a chunked <c>application/json</c> response of one event per line.</summary>
internal static class WatchStream
{
    /// <summary>
    /// Streams <paramref name="watch"/> until it ends, <paramref name="timeoutSeconds"/> pass, the client goes away
    /// or <paramref name="stopping"/> is cancelled; aborts the connection when the watch is dropped.
    /// </summary>
    public static async Task ServeAsync(HttpContext context, WatchConnection watch, int? timeoutSeconds, CancellationToken stopping)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            using var streaming = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            if (timeoutSeconds is > 0 and var seconds)
            {
                streaming.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await foreach (var line in watch.Messages.ReadAllAsync(streaming.Token))
            {
                if (line is null)
                {
                    context.Abort();
                    return;
                }

                await context.Response.WriteAsync(line + "\n", streaming.Token);
                await context.Response.Body.FlushAsync(streaming.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed, the client went away, or the server is stopping: end the response.
        }
    }
}
