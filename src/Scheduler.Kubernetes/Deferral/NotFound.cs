using System.Net;
using k8s.Autorest;

namespace Scheduler.Kubernetes.Deferral;

/// <summary>Reads of an object that may be gone: the API server's 404 is an answer (<c>null</c>), not a failure.</summary>
internal static class NotFound
{
    /// <summary>The object <paramref name="read"/> returns, or <c>null</c> when the API server answers 404.</summary>
    public static async Task<T?> AsNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
