using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class HealthAndMetricsTests(ExtenderServerFixture fixture) : IClassFixture<ExtenderServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Get_Health_IsHealthy(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_Metrics_HasLatencyByVerbAndIntensityByZone()
    {
        using (await Client.PostAsync(new Uri("/prioritize", UriKind.Relative), new StringContent(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "de-1"]), Encoding.UTF8, "application/json")))
        {
        }

        var metrics = await Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("carbon_extender_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("verb=\"prioritize\"", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_zone_intensity_grams_per_kwh{zone=\"DE\",source=\"profile\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_extender_node_score_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("zone=\"FR\"", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_node_cache_nodes 5", metrics, StringComparison.Ordinal);
        Assert.Contains("process_working_set_bytes", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_zone_forecast_origin{zone=\"DE\",origin=\"Profile\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MetricsBeforeAnyExtenderRequest_ReportsTheNodeCacheAndTheZones()
    {
        await using var server = await ExtenderServer.StartAsync();

        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("carbon_node_cache_nodes 5", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_zone_forecast_origin{zone=\"DE\",origin=\"Profile\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidSettings_FailsWithEveryMessage()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ExtenderServer.StartAsync(null, "--Scoring:NeutralScore", "11", "--Scoring:DefaultDurationMinutes", "0"));

        Assert.Contains("Scoring:NeutralScore", e.Message, StringComparison.Ordinal);
        Assert.Contains("Scoring:DefaultDurationMinutes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnavailableCarbonSource_FailsNamingTheZone()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ExtenderServer.StartAsync(null, "--Carbon:Zones:PL:Type", "Profile"));

        Assert.Contains("Carbon:Zones:PL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadKeplerSettings_FailsNamingThem()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ExtenderServer.StartAsync(null, "--Kepler:PrometheusUrl", "prometheus:9090", "--Kepler:CpuZones", ""));

        Assert.Contains("Kepler:PrometheusUrl 'prometheus:9090' is not an absolute http(s) URL.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Kepler:CpuZones names no zone", e.Message, StringComparison.Ordinal);
    }
}
