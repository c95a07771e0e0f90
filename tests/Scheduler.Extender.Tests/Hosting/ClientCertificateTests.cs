using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Extender.Hosting;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Hosting;

/// <summary>The extender with <c>Tls:ClientCaFile</c>: the extender verbs need a client certificate from that CA; the rest does not.</summary>
public sealed class ClientCertificateTests(ClientCertificateTests.Fixture fixture) : IClassFixture<ClientCertificateTests.Fixture>
{
    private static readonly Uri Prioritize = new("/prioritize", UriKind.Relative);
    private static readonly Uri Filter = new("/filter", UriKind.Relative);

    private static StringContent PrioritizeBody() =>
        new(TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "de-1"]), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Prioritize_WithAClientCertificateFromTheCa_IsAnswered()
    {
        using var client = fixture.Server.Https(fixture.Authority.IssueClient());

        using var response = await client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Count);
    }

    [Fact]
    public async Task Prioritize_WithoutAClientCertificate_Is403WithAJsonError()
    {
        using var client = fixture.Server.Https(null);

        using var response = await client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Error"]!.GetValue<string>();
        Assert.Contains("client certificate", error, StringComparison.Ordinal);
        Assert.Contains("Tls:ClientCaFile", error, StringComparison.Ordinal);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_extender_rejected_requests_total{reason=\"client_certificate_missing\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prioritize_WithACertificateFromAnotherCa_Is403()
    {
        using var other = TestCertificateAuthority.Create("CN=someone-else-ca");
        using var client = fixture.Server.Https(other.IssueClient());

        using var response = await client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Error"]!.GetValue<string>(), StringComparison.Ordinal);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_extender_rejected_requests_total{reason=\"client_certificate_untrusted\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_WithAnExpiredOrServerOnlyCertificateFromTheCa_Is403()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = fixture.Server.Https(fixture.Authority.IssueClient(notBefore: now.AddDays(-2), notAfter: now.AddDays(-1)));
        using var serverOnly = fixture.Server.Https(fixture.Authority.IssueClient(serverOnly: true));

        using var first = await expired.PostAsync(Filter, PrioritizeBody());
        using var second = await serverOnly.PostAsync(Filter, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
    }

    [Fact]
    public async Task Filter_OverPlainHttp_Is403()
    {
        using var response = await fixture.Server.Server.Client.PostAsync(Filter, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MutateJobs_WithoutAClientCertificate_IsStillAnswered()
    {
        using var client = fixture.Server.Https(null);

        using var response = await client.PostAsync(new Uri("/mutate/jobs", UriKind.Relative), AdmissionReviewBodies.Job().Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Healthz_WithoutAClientCertificate_IsOpen()
    {
        using var client = fixture.Server.Https(null);

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RequireClientCertificateFor_ReplacesTheDefaultPaths()
    {
        await using var server = await CaServer.StartAsync(fixture.Authority, "--Tls:RequireClientCertificateFor:0", "/mutate");
        using var anonymous = server.Https(null);
        using var scheduler = server.Https(fixture.Authority.IssueClient());

        using var webhook = await anonymous.PostAsync(new Uri("/mutate/jobs", UriKind.Relative), AdmissionReviewBodies.Job().Content());
        using var prioritize = await anonymous.PostAsync(Prioritize, PrioritizeBody());
        using var trusted = await scheduler.PostAsync(new Uri("/mutate/pods", UriKind.Relative), AdmissionReviewBodies.Pod().Content());

        Assert.Equal(HttpStatusCode.Forbidden, webhook.StatusCode);
        Assert.Equal(HttpStatusCode.OK, prioritize.StatusCode);
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
    }

    [Fact]
    public async Task ClientCaFile_ChangedOnDisk_IsReadAgainWithinAMinute()
    {
        using var first = TestCertificateAuthority.Create("CN=first-ca");
        using var second = TestCertificateAuthority.Create("CN=second-ca");
        var caFile = Path.Combine(first.Directory, "bundle.crt");
        File.Copy(first.CaFile, caFile);
        await using var server = await CaServer.StartAsync(first, "--Tls:ClientCaFile", caFile);
        using var client = server.Https(second.IssueClient());
        using var before = await client.PostAsync(Prioritize, PrioritizeBody());

        File.Copy(second.CaFile, caFile, overwrite: true);
        ((FakeTimeProvider)server.Server.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromMinutes(2));
        using var after = await client.PostAsync(Prioritize, PrioritizeBody());

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Start_UnreadableClientCaFile_IsAConfigurationErrorNamingTheSetting()
    {
        using var authority = TestCertificateAuthority.Create();
        await File.WriteAllTextAsync(authority.CaFile, "not a certificate");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => CaServer.StartAsync(authority));

        Assert.Contains($"Tls:ClientCaFile '{authority.CaFile}' holds no PEM certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingClientCaFile_IsAConfigurationError()
    {
        using var certificate = TestCertificate.Create();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(
            null, [.. certificate.Settings, "--Tls:ClientCaFile", "/nonexistent/ca.crt"]));

        Assert.Contains("Tls:ClientCaFile '/nonexistent/ca.crt' does not exist.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ClientCaFileWithoutHttps_IsAConfigurationError()
    {
        using var authority = TestCertificateAuthority.Create();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, "--Tls:ClientCaFile", authority.CaFile));

        Assert.Contains("Tls:ClientCaFile is set, but client certificates need the HTTPS listener", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/filter", true)]
    [InlineData("/FILTER", true)]
    [InlineData("/filter/", true)]
    [InlineData("/prioritize", true)]
    [InlineData("/filterx", false)]
    [InlineData("/mutate/jobs", false)]
    [InlineData("/healthz", false)]
    public void IsProtected_MatchesWholePathSegments(string path, bool expected) =>
        Assert.Equal(expected, ClientCertificateGate.IsProtected(new PathString(path), TlsOptions.DefaultClientCertificatePaths));

    /// <summary>One extender with HTTPS and <c>Tls:ClientCaFile</c>, shared by the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private CaServer? _server;

        public TestCertificateAuthority Authority { get; } = TestCertificateAuthority.Create();

        public CaServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

        public async Task InitializeAsync() => _server = await CaServer.StartAsync(Authority, "--Deferral:Enabled", "true");

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            Authority.Dispose();
        }
    }

    /// <summary>The real extender with a self-signed serving certificate and the client CA of <see cref="TestCertificateAuthority"/>.</summary>
    public sealed class CaServer : IAsyncDisposable
    {
        private readonly TestCertificate _certificate;

        private CaServer(ExtenderServer server, TestCertificate certificate)
        {
            Server = server;
            _certificate = certificate;
        }

        public ExtenderServer Server { get; }

        public static async Task<CaServer> StartAsync(TestCertificateAuthority authority, params string[] settings)
        {
            var certificate = TestCertificate.Create();
            try
            {
                var server = await ExtenderServer.StartAsync(null, [.. certificate.Settings, "--Tls:ClientCaFile", authority.CaFile, .. settings]);
                return new CaServer(server, certificate);
            }
            catch
            {
                certificate.Dispose();
                throw;
            }
        }

        /// <summary>An HTTPS client that trusts the serving certificate and presents <paramref name="clientCertificate"/>, if any.</summary>
        public HttpClient Https(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate) =>
            _certificate.Client(Server.HttpsAddress ?? throw new InvalidOperationException("No HTTPS listener."), clientCertificate);

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            _certificate.Dispose();
        }
    }
}
