using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Core.Scoring;
using Scheduler.Extender.Tests.Fixtures;
using Scheduler.Kubernetes.Admission;
using Scheduler.Kubernetes.Deferral;

namespace Scheduler.Extender.Tests.Endpoints;

public class AdmissionEndpointTests(AdmissionServerFixture fixture) : IClassFixture<AdmissionServerFixture>
{
    private static readonly Uri Jobs = new("/mutate/jobs", UriKind.Relative);
    private static readonly Uri Pods = new("/mutate/pods", UriKind.Relative);

    private HttpClient Https => fixture.Https;

    [Fact]
    public async Task PostJob_OverHttps_IsHeldWithAJsonPatch()
    {
        using var response = await Https.PostAsync(Jobs, AdmissionReviewBodies.Job().Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("admission.k8s.io/v1", (string?)review["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)review["kind"]);
        Assert.Equal("0df28fbd-5f5f-4d4b-9c7e-3a1b6a2f7c41", (string?)review["response"]!["uid"]);
        Assert.True((bool)review["response"]!["allowed"]!);
        Assert.Equal("JSONPatch", (string?)review["response"]!["patchType"]);
        Assert.Equal(
            """[{"op":"add","path":"/spec/suspend","value":true},{"op":"add","path":"/metadata/annotations/carbon-aware.io~1state","value":"held"}]""",
            AdmissionReviewBodies.PatchText(review));
    }

    [Fact]
    public async Task PostPod_OverHttps_GetsTheSchedulingGate()
    {
        using var response = await Https.PostAsync(Pods, AdmissionReviewBodies.Pod().Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith(
            """[{"op":"add","path":"/spec/schedulingGates","value":[{"name":"carbon-aware.io/deferral"}]}""",
            AdmissionReviewBodies.PatchText(review),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostStrictInvalidJob_IsDeniedInA200Review()
    {
        // A denial is an answer, not an error: HTTP 200 with allowed false and the status to show.
        var job = AdmissionReviewBodies.Job();
        var annotations = job["request"]!["object"]!["metadata"]!["annotations"]!;
        annotations["carbon-aware.io/strict"] = "true";
        annotations["carbon-aware.io/deadline"] = "next week";

        using var response = await Https.PostAsync(Jobs, job.Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.False((bool)answer["allowed"]!);
        Assert.Equal(400, (int)answer["status"]!["code"]!);
        Assert.Contains("carbon-aware.io/deadline: 'next week'", (string?)answer["status"]!["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The request body is empty; expected an admission.k8s.io/v1 AdmissionReview.")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",", "The body is not valid JSON")]
    [InlineData("not json", "The body is not valid JSON")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}", "request.operation is missing")]
    public async Task PostMalformedReview_Is400WithAMessage(string body, string expected)
    {
        using var response = await Https.PostAsync(Jobs, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Error"];
        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostExtenderArgs_IsWrongContent400()
    {
        var args = TestNodes.Args(TestNodes.Pod(), names: ["fr-1"]);

        using var response = await Https.PostAsync(Jobs, new StringContent(args, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expected AdmissionReview", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBareJob_IsWrongContent400()
    {
        var job = AdmissionReviewBodies.Job()["request"]!["object"]!.AsObject();

        using var response = await Https.PostAsync(Pods, new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("kind is 'Job'; expected AdmissionReview", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostV1beta1Review_Is400NamingTheVersion()
    {
        var review = AdmissionReviewBodies.Job();
        review["apiVersion"] = "admission.k8s.io/v1beta1";

        using var response = await Https.PostAsync(Jobs, review.Content());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("admissionReviewVersions", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostFilter_OverHttpBesideHttps_IsRefusedAndServedOverHttps()
    {
        var args = TestNodes.Args(TestNodes.Pod(), names: ["fr-1", "de-1"]);
        using var https = fixture.Certificate.Client(fixture.Server.HttpsAddress!);

        using var overHttp = await fixture.Server.Client.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent(args, Encoding.UTF8, "application/json"));
        using var overHttps = await https.PostAsync(new Uri("/filter", UriKind.Relative), new StringContent(args, Encoding.UTF8, "application/json"));

        Assert.Equal("http", fixture.Server.Client.BaseAddress!.Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, overHttp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
    }

    [Fact]
    public async Task Https_ClientTrustingAnotherCertificate_IsRefused()
    {
        using var other = TestCertificate.Create("CN=someone-else");
        using var client = other.Client(fixture.Server.HttpsAddress!);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.IsType<AuthenticationException>(e.InnerException);
    }

    [Fact]
    public async Task Metrics_CountReviewsByDecision()
    {
        using (await Https.PostAsync(Jobs, AdmissionReviewBodies.Job().Content()))
        using (await Https.PostAsync(Jobs, new StringContent("[]", Encoding.UTF8, "application/json")))
        {
        }

        var metrics = await Https.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.True(Count(metrics, "held") >= 1);
        Assert.True(Count(metrics, "invalid") >= 1);
        Assert.Contains("carbon_admission_reviews_total{decision=\"denied\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_admission_review_duration_seconds_bucket{resource=\"jobs\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_DeferralNotEnabled_IsUntouchedWithAWarning()
    {
        // The embedded default holds nothing: without the controller a held Job would never run.
        await using var server = await ExtenderServer.StartAsync();

        using var response = await server.Client.PostAsync(Jobs, AdmissionReviewBodies.Job().Content());

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.True((bool)answer["allowed"]!);
        Assert.Null(answer["patch"]);
        Assert.Contains("Deferral:Enabled is false", (string?)answer["warnings"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_InternalFault_IsAllowedUntouchedAndCounted()
    {
        // A failing webhook must not block Job creation: the Job runs at once instead.
        await using var server = await ExtenderServer.StartAsync(services => services.AddSingleton(new DeferralAdmissionPolicy(
            Options.Create(new DeferralOptions { Enabled = true }), Options.Create(new ScoringOptions()), new BrokenClock())));

        using var response = await server.Client.PostAsync(Jobs, AdmissionReviewBodies.Job().Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.True((bool)answer["allowed"]!);
        Assert.Null(answer["patch"]);
        Assert.Contains("failed internally", (string?)answer["warnings"]![0], StringComparison.Ordinal);
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("carbon_extender_faults_total{verb=\"mutate/jobs\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("carbon_admission_reviews_total{decision=\"untouched\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingCertificateFile_IsAConfigurationError()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(
            null, "--Tls:CertificateFile", "/nonexistent/tls.crt", "--Tls:KeyFile", "/nonexistent/tls.key"));

        Assert.Contains("Tls:CertificateFile '/nonexistent/tls.crt' does not exist.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tls:KeyFile '/nonexistent/tls.key' does not exist.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnreadableCertificate_IsAConfigurationError()
    {
        using var certificate = TestCertificate.Create();
        await File.WriteAllTextAsync(certificate.KeyFile, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, certificate.Settings));

        Assert.Contains("cannot be loaded as a PEM certificate and its private key", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeyFileWithoutCertificateFile_IsAConfigurationError()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, "--Tls:KeyFile", "/etc/tls/tls.key"));

        Assert.Contains("Tls:CertificateFile and Tls:KeyFile must be set together", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadDeferralSettings_FailsWithEveryMessage()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(
            null, "--Deferral:SafetyMarginMinutes", "-5", "--Deferral:DryRunNamespaces:0", "Not_A_Namespace"));

        Assert.Contains("Deferral:SafetyMarginMinutes is -5", e.Message, StringComparison.Ordinal);
        Assert.Contains("Deferral:DryRunNamespaces has 'Not_A_Namespace'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_FormContentType_IsStillRead()
    {
        // curl -d sends a form content type; the review is read from the bytes whatever the header says.
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(AdmissionReviewBodies.Job().ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await Https.PostAsync(Jobs, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static double Count(string metrics, string decision)
    {
        var match = Regex.Match(metrics, $"^carbon_admission_reviews_total\\{{decision=\"{decision}\"\\}} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no carbon_admission_reviews_total for {decision}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("clock unavailable");
    }
}
