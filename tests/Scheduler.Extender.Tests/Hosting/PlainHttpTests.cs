using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Hosting;

/// <summary>With HTTPS on, plain HTTP serves only the probes and <c>/metrics</c> unless told otherwise.</summary>
public class PlainHttpTests
{
    private static readonly Uri Prioritize = new("/prioritize", UriKind.Relative);

    private static StringContent PrioritizeBody() =>
        new(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "de-1"]), Encoding.UTF8, "application/json");

    [Fact]
    public async Task HttpsOn_PlainHttpServesProbesAndMetricsAndRefusesTheRestNamingTheHttpsPort()
    {
        using var certificate = TestCertificate.Create();
        await using var server = await ExtenderServer.StartAsync(null, certificate.Settings);
        using var https = certificate.Client(server.HttpsAddress!);

        using var overHttp = await server.Client.PostAsync(Prioritize, PrioritizeBody());
        using var report = await server.Client.GetAsync(new Uri("/reports/savings?format=json", UriKind.Relative));
        using var overHttps = await https.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, overHttp.StatusCode);
        var error = JsonNode.Parse(await overHttp.Content.ReadAsStringAsync())!["Error"]!.GetValue<string>();
        Assert.Contains("served over HTTPS only", error, StringComparison.Ordinal);
        Assert.Contains("plain HTTP serves /healthz, /readyz, /metrics", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_extender_rejected_requests_total{reason=\"plain_http\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpPathsRoot_ServesEverythingOverPlainHttpToo()
    {
        using var certificate = TestCertificate.Create();
        await using var server = await ExtenderServer.StartAsync(null, [.. certificate.Settings, "--Tls:PlainHttpPaths:0", "/"]);

        using var response = await server.Client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HttpsOff_PlainHttpServesEverything()
    {
        await using var server = await ExtenderServer.StartAsync();

        using var response = await server.Client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_PlainHttpPathWithoutASlash_IsAConfigurationError()
    {
        using var certificate = TestCertificate.Create();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, [.. certificate.Settings, "--Tls:PlainHttpPaths:0", "metrics"]));

        Assert.Contains("Tls:PlainHttpPaths holds 'metrics'", e.Message, StringComparison.Ordinal);
    }
}
