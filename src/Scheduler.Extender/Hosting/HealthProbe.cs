namespace Scheduler.Extender.Hosting;

/// <summary>
/// <c>Scheduler.Extender healthcheck [URL]</c>: asks a running extender's <c>/healthz</c> and exits 0 or 1,
/// so container health checks need no shell or curl in the runtime image.
/// </summary>
public static class HealthProbe
{
    /// <summary>The command-line verb.</summary>
    public const string Verb = "healthcheck";

    /// <summary>Probes <paramref name="url"/> (default <c>http://127.0.0.1:8090/healthz</c>); 0 when healthy.</summary>
    public static async Task<int> RunAsync(string? url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(url ?? "http://127.0.0.1:8090/healthz")).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"healthcheck: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
