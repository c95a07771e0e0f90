using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.RateLimiting;

public class RateLimitTests
{
    private static readonly Uri Intensity = new("/intensity", UriKind.Relative);
    private static readonly Uri Reports = new("/reports/savings?format=csv", UriKind.Relative);
    private static readonly Uri Filter = new("/filter", UriKind.Relative);
    private static readonly Uri Jobs = new("/mutate/jobs", UriKind.Relative);

    private static StringContent FilterArgs() => new(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "pl-1"]), Encoding.UTF8, "application/json");

    [Fact]
    public async Task GetIntensity_OverTheClientsBudget_Is429WithRetryAfterAndAJsonError()
    {
        await using var server = await ExtenderServer.StartAsync(null, "--RateLimits:IntensityPerMinute", "3");

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await server.Client.GetAsync(Intensity);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await server.Client.GetAsync(Intensity);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // One token comes back every 20 s at 3 a minute.
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 20);
        var error = (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["Error"];
        Assert.Contains("/intensity", error, StringComparison.Ordinal);
        Assert.Contains("RateLimits", error, StringComparison.Ordinal);
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_extender_rejected_requests_total{reason=\"rate_limited\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReports_OverTheClientsBudget_Is429()
    {
        await using var server = await ExtenderServer.StartAsync(null, "--RateLimits:ReportsPerMinute", "2");

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await server.Client.GetAsync(Reports);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var refused = await server.Client.GetAsync(Reports);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.NotNull((string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["Error"]);

        // Each limit is its own: the intensity endpoint still answers the same client.
        using var other = await server.Client.GetAsync(Intensity);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Probes_AndMetrics_AreNeverLimited()
    {
        await using var server = await ExtenderServer.StartAsync(
            null, "--RateLimits:IntensityPerMinute", "1", "--RateLimits:ReportsPerMinute", "1", "--RateLimits:SchedulerConcurrency", "1", "--RateLimits:AdmissionConcurrency", "1");
        using (var spent = await server.Client.GetAsync(Intensity))
        using (var refused = await server.Client.GetAsync(Intensity))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            for (var i = 0; i < 30; i++)
            {
                using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
                Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task PostFilter_BeyondTheConcurrencyLimit_Is429UntilTheRequestInFlightEnds()
    {
        await using var server = await ExtenderServer.StartAsync(null, "--RateLimits:SchedulerConcurrency", "1");
        var held = new HeldBody(Encoding.UTF8.GetBytes(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "pl-1"])));
        var inFlight = server.Client.PostAsync(Filter, held);
        await held.Started;

        // The held request takes the one slot once its headers are read; until then a second request may pass.
        var refused = await EventuallyRefusedAsync(server.Client, () => server.Client.PostAsync(Filter, FilterArgs()));
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("/filter", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["Error"], StringComparison.Ordinal);
        refused.Dispose();

        // /prioritize shares the limit: kube-scheduler calls both.
        using (var prioritize = await server.Client.PostAsync(new Uri("/prioritize", UriKind.Relative), FilterArgs()))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, prioritize.StatusCode);
        }

        held.Release();
        using (var first = await inFlight)
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var after = await server.Client.PostAsync(Filter, FilterArgs());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task PostMutate_BeyondTheConcurrencyLimit_Is429()
    {
        await using var server = await ExtenderServer.StartAsync(null, "--RateLimits:AdmissionConcurrency", "1");
        var held = new HeldBody(Encoding.UTF8.GetBytes(AdmissionReviewBodies.Job().ToJsonString()));
        var inFlight = server.Client.PostAsync(Jobs, held);
        await held.Started;

        using var refused = await EventuallyRefusedAsync(server.Client, () => server.Client.PostAsync(Jobs, AdmissionReviewBodies.Job().Content()));

        // The scheduler's verbs have their own limit.
        using (var filter = await server.Client.PostAsync(Filter, FilterArgs()))
        {
            Assert.Equal(HttpStatusCode.OK, filter.StatusCode);
        }

        held.Release();
        using var first = await inFlight;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task Limits_SetToZero_AreOff()
    {
        await using var server = await ExtenderServer.StartAsync(
            null, "--RateLimits:IntensityPerMinute", "0", "--RateLimits:ReportsPerMinute", "0", "--RateLimits:SchedulerConcurrency", "0");
        var held = new[] { Held(), Held(), Held() };
        var inFlight = held.Select(h => server.Client.PostAsync(Filter, h)).ToList();
        await Task.WhenAll(held.Select(h => h.Started));

        for (var i = 0; i < 100; i++)
        {
            using var intensity = await server.Client.GetAsync(Intensity);
            Assert.Equal(HttpStatusCode.OK, intensity.StatusCode);
        }

        for (var i = 0; i < 10; i++)
        {
            using var report = await server.Client.GetAsync(Reports);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, report.StatusCode);
            using var filter = await server.Client.PostAsync(Filter, FilterArgs());
            Assert.Equal(HttpStatusCode.OK, filter.StatusCode);
        }

        foreach (var h in held)
        {
            h.Release();
        }

        foreach (var response in await Task.WhenAll(inFlight))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        static HeldBody Held() => new(Encoding.UTF8.GetBytes(TestNodes.Args(TestNodes.Pod(), names: ["fr-1"])));
    }

    [Fact]
    public async Task Start_NegativeOrHugeLimits_AreConfigurationErrors()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(
            null, "--RateLimits:SchedulerConcurrency", "-1", "--RateLimits:ReportsPerMinute", "99999999"));

        Assert.Contains("RateLimits:SchedulerConcurrency is -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("RateLimits:ReportsPerMinute is 99999999", e.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> EventuallyRefusedAsync(HttpClient client, Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
            Assert.True(DateTime.UtcNow < deadline, $"No request to {client.BaseAddress} was refused while another held the only slot.");
            await Task.Delay(50);
        }
    }
}
