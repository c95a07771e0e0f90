using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Endpoints;

public class IntensitySourceTests
{
    private static async Task<Dictionary<string, long>> PrioritizeAsync(ExtenderServer server, params string[] names)
    {
        using var response = await server.Client.PostAsync(
            new Uri("/prioritize", UriKind.Relative),
            new StringContent(TestNodes.Args(TestNodes.Pod(), names: names), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().ToDictionary(s => (string)s!["Host"]!, s => (long)s!["Score"]!);
    }

    [Fact]
    public async Task Prioritize_ZoneFromACarbonFile_UsesTheFilesIntensity()
    {
        // France made the dirtiest zone by its configured file, against the built-in profiles of DE and GB.
        var csv = Path.Combine(Path.GetTempPath(), $"fr-{Guid.NewGuid():N}.csv");
        var lines = Enumerable.Range(0, 72).Select(h => ExtenderServer.Now.AddHours(h - 1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + ",900");
        await File.WriteAllTextAsync(csv, "time,gco2\n" + string.Join('\n', lines));
        try
        {
            await using var server = await ExtenderServer.StartAsync(null, "--Carbon:Zones:FR:Type", "File", "--Carbon:Zones:FR:Path", csv);

            var scores = await PrioritizeAsync(server, "de-1", "fr-1", "gb-1");
            var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

            Assert.Equal(0, scores["fr-1"]);
            Assert.Equal(10, scores["gb-1"]);
            Assert.Contains("carbon_zone_intensity_grams_per_kwh{zone=\"FR\",source=\"file\"} 900", metrics, StringComparison.Ordinal);
            Assert.Contains("carbon_zone_forecast_origin{zone=\"FR\",origin=\"Fresh\"} 1", metrics, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Prioritize_ProviderDown_FallsBackToTheProfileAndKeepsAnswering()
    {
        // Nothing listens on port 1: every call to the provider fails at once.
        await using var server = await ExtenderServer.StartAsync(
            null,
            "--Carbon:Zones:GB:Type", "UkNeso",
            "--Carbon:Zones:GB:Url", "http://127.0.0.1:1",
            "--Carbon:MaxRetryAttempts", "0",
            "--Carbon:ProviderTimeoutSeconds", "2");

        var scores = await PrioritizeAsync(server, "de-1", "fr-1", "gb-1");
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(10, scores["fr-1"]);
        Assert.InRange(scores["gb-1"], 1, 9);
        Assert.Contains("carbon_zone_intensity_grams_per_kwh{zone=\"GB\",source=\"profile (fallback for ukneso)\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_zone_forecast_origin{zone=\"GB\",origin=\"Profile\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_provider_errors_total{provider=\"ukneso\",kind=\"Server\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prioritize_ProviderHangs_StartIsBoundedAndRequestsNeverWait()
    {
        using var hanging = new HangingServer();
        var token = Path.Combine(Path.GetTempPath(), $"token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(token, "not-a-real-token");
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            // Real time here: the provider timeout and the bound on the first refresh are clock-driven.
            await using var server = await ExtenderServer.StartAsync(
                s => s.AddSingleton(TimeProvider.System),
                "--Carbon:Zones:DE:Type", "ElectricityMaps",
                "--Carbon:Zones:DE:Url", hanging.Url.ToString(),
                "--Carbon:Zones:DE:TokenFile", token,
                "--Carbon:ProviderTimeoutSeconds", "2");
            var startSeconds = started.Elapsed.TotalSeconds;

            var scores = await PrioritizeAsync(server, "de-1", "fr-1");

            // The first refresh is awaited for at most the provider timeout; the refresh goes on in the background.
            Assert.InRange(startSeconds, 0, 30);
            Assert.Equal(10, scores["fr-1"]);
            Assert.Equal(2, scores.Count);
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Theory]
    [InlineData("File", "Path is required")]
    [InlineData("ElectricityMaps", "TokenFile is required")]
    [InlineData("WattTime", "Region is required")]
    [InlineData("CarbonAwareSdk", "Url is required")]
    public async Task Start_ProviderWithoutItsSettings_FailsNamingThem(string type, string expected)
    {
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            ExtenderServer.StartAsync(null, "--Carbon:Zones:PL:Type", type));
        Assert.Contains("Carbon:Zones:PL:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
