using System.Net;
using Microsoft.AspNetCore.Http;
using Scheduler.Signals.Prometheus;
using Scheduler.Signals.Tests.Kepler.Fixtures;
using Scheduler.Signals.Tests.Providers.Fakes;

namespace Scheduler.Signals.Tests.Prometheus;

public sealed class PrometheusClientTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Query_RealPrometheus_AnswersScalarsVectorsAndRejectsBadPromQl()
    {
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions());
        var client = new PrometheusClient(Http, new Uri(prometheus.Url + "/"));
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(42, Assert.Single(await client.QueryAsync("scalar(vector(42))", now, default)).Last);
        var range = Assert.Single(await client.QueryRangeAsync("vector(1)", now.AddMinutes(-10), now, TimeSpan.FromMinutes(1), default));
        Assert.Equal(11, range.Points.Count);

        var rejected = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("sum by (", now, default));
        Assert.Equal(PrometheusErrorKind.Rejected, rejected.Kind);
        Assert.Contains("parse error", rejected.Message, StringComparison.Ordinal);
        Assert.False(rejected.IsTransient);
    }

    [Fact]
    public async Task Query_PrometheusDown_IsUnavailable()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new PrometheusClient(Http, new Uri($"http://127.0.0.1:{port}"));

        var e = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, default));

        Assert.Equal(PrometheusErrorKind.Unavailable, e.Kind);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData(502, "text/html", "<html>Bad Gateway</html>", PrometheusErrorKind.Unavailable)]
    [InlineData(401, "text/plain", "Unauthorized", PrometheusErrorKind.Auth)]
    [InlineData(403, "text/plain", "Forbidden", PrometheusErrorKind.Auth)]
    [InlineData(200, "application/json", "{\"status\":\"success\",\"data\":", PrometheusErrorKind.Malformed)]
    [InlineData(503, "application/json", "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}", PrometheusErrorKind.Unavailable)]
    [InlineData(422, "application/json", "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples into memory\"}", PrometheusErrorKind.Rejected)]
    public async Task Query_ProxyOrServerError_IsClassified(int status, string contentType, string body, PrometheusErrorKind kind)
    {
        await using var server = await LoopbackApp.StartAsync(LoopbackApp.Canned(status, body, contentType));
        var client = new PrometheusClient(Http, new Uri(server.Url));

        var e = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, default));

        Assert.Equal(kind, e.Kind);
    }

    [Fact]
    public async Task Query_WithTokenFile_SendsTheTokenReadAtEachQuery()
    {
        var seen = new List<string>();
        await using var server = await LoopbackApp.StartAsync(context =>
        {
            seen.Add(context.Request.Headers.Authorization.ToString());
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        });
        var tokenFile = Path.Combine(Path.GetTempPath(), $"token-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(tokenFile, "first\n");
            var client = new PrometheusClient(Http, new Uri(server.Url), BearerTokenFile.Reader(tokenFile));
            await client.QueryAsync("up", DateTimeOffset.UtcNow, default);
            await File.WriteAllTextAsync(tokenFile, "rotated");
            await client.QueryAsync("up", DateTimeOffset.UtcNow, default);

            Assert.Equal(["Bearer first", "Bearer rotated"], seen);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Query_TokenFileMissing_IsAnAuthError()
    {
        var client = new PrometheusClient(Http, new Uri("http://127.0.0.1:9"), BearerTokenFile.Reader("/no/such/token"));

        var e = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, default));

        Assert.Equal(PrometheusErrorKind.Auth, e.Kind);
    }
}
