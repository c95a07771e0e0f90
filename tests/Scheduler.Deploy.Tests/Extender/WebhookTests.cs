using k8s.Models;
using Scheduler.Deploy.Tests.Models;
using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Extender;

/// <summary>The mutating webhook: the service's own paths, fail-open settings, and a CA the API server can trust.</summary>
public class WebhookTests
{
    private static IReadOnlyList<Manifest> Default => Kustomize.Render(DeployPaths.In("overlays", "default"));

    private static V1MutatingWebhookConfiguration Configuration => Default.Named<V1MutatingWebhookConfiguration>("carbon-aware");

    [Theory]
    [InlineData("jobs.carbon-aware.io", "batch", "jobs", "/mutate/jobs")]
    [InlineData("pods.carbon-aware.io", "", "pods", "/mutate/pods")]
    public void Webhook_CallsTheServicesEndpoint_OnCreateOnly(string name, string group, string resource, string path)
    {
        var webhook = Configuration.Webhooks.Single(w => w.Name == name);

        Assert.Equal(path, webhook.ClientConfig.Service.Path);
        Assert.Contains(path, AppRoutes.All);
        var rule = Assert.Single(webhook.Rules);
        Assert.Equal([group], rule.ApiGroups);
        Assert.Equal(["v1"], rule.ApiVersions);
        Assert.Equal([resource], rule.Resources);
        Assert.Equal(["CREATE"], rule.Operations);
    }

    [Fact]
    public void Webhooks_FailOpen_WithoutSideEffects_AndAnswerInTime()
    {
        Assert.Equal(2, Configuration.Webhooks.Count);
        foreach (var webhook in Configuration.Webhooks)
        {
            Assert.Equal("Ignore", webhook.FailurePolicy);
            Assert.Equal("None", webhook.SideEffects);
            Assert.Equal(["v1"], webhook.AdmissionReviewVersions);
            Assert.Equal(5, webhook.TimeoutSeconds);
            Assert.Equal("Never", webhook.ReinvocationPolicy);
            Assert.Equal("Equivalent", webhook.MatchPolicy);
        }
    }

    [Fact]
    public void Webhooks_SkipTheControlPlaneAndTheirOwnNamespace()
    {
        foreach (var webhook in Configuration.Webhooks)
        {
            var excluded = webhook.NamespaceSelector.MatchExpressions.Single(e => e.Key == "kubernetes.io/metadata.name");
            Assert.Equal("NotIn", excluded.OperatorProperty);
            Assert.Contains("kube-system", excluded.Values);
            Assert.Contains(Default.Named<V1Deployment>("carbon-extender").Metadata.NamespaceProperty, excluded.Values);
        }
    }

    [Fact]
    public void PodWebhook_LeavesThePodsOfControllersOut()
    {
        var selector = Configuration.Webhooks.Single(w => w.Name == "pods.carbon-aware.io").ObjectSelector;

        Assert.All(selector.MatchExpressions, e => Assert.Equal("DoesNotExist", e.OperatorProperty));
        Assert.Superset(
            new HashSet<string> { "batch.kubernetes.io/job-name", "pod-template-hash", "controller-revision-hash" },
            selector.MatchExpressions.Select(e => e.Key).ToHashSet());
    }

    [Fact]
    public void Webhooks_CallTheExtendersServiceOnItsHttpsPort()
    {
        var service = Default.Named<V1Service>("carbon-extender");

        foreach (var webhook in Configuration.Webhooks)
        {
            var reference = webhook.ClientConfig.Service;
            Assert.Equal((service.Metadata.Name, service.Metadata.NamespaceProperty), (reference.Name, reference.NamespaceProperty));
            Assert.Equal(service.Spec.Ports.Single(p => p.Name == "https").Port, reference.Port);
            Assert.Null(webhook.ClientConfig.Url);
        }
    }

    [Fact]
    public void CertManager_InjectsTheCaOfTheCertificateTheExtenderServes()
    {
        var annotation = Configuration.Metadata.Annotations["cert-manager.io/inject-ca-from"];
        var parts = annotation.Split('/');
        var certificate = Default.Where(m => m.Value is Certificate && m.Namespace == parts[0] && m.Name == parts[1]).Select(m => (Certificate)m.Value).Single();
        var secret = Default.Named<V1Deployment>("carbon-extender").Spec.Template.Spec.Volumes.Single(v => v.Name == "tls").Secret.SecretName;

        Assert.Equal(secret, certificate.Spec?.SecretName);
        Assert.Contains("carbon-extender.carbon-system.svc", certificate.Spec!.DnsNames);
        Assert.Contains("server auth", certificate.Spec.Usages);
    }

    [Fact]
    public void WithoutCertManager_NoCaIsInjectedAndNoCertificateIsAsked()
    {
        var manifests = Kustomize.Render(DeployPaths.In("overlays", "no-cert-manager"));

        Assert.Null(manifests.Named<V1MutatingWebhookConfiguration>("carbon-aware").Metadata.Annotations);
        Assert.Empty(manifests.All<Certificate>());
        Assert.Empty(manifests.All<Issuer>());
    }
}
