using Scheduler.Deploy.Tests.Models;
using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Extender;

/// <summary>deploy/cert-manager: self-signed Issuer, CA Certificate, CA Issuer, and the two certificates it signs.</summary>
public class CertManagerTests
{
    private static IReadOnlyList<Manifest> Default => Kustomize.Render(DeployPaths.In("overlays", "default"));

    [Fact]
    public void Chain_SelfSignedIssuer_CaCertificate_CaIssuer()
    {
        var ca = Default.Named<Certificate>("carbon-ca");
        var caIssuer = Default.Named<Issuer>("carbon-ca");
        var selfSigned = Default.Named<Issuer>(ca.Spec!.IssuerRef!.Name!);

        Assert.NotNull(selfSigned.Spec?.SelfSigned);
        Assert.True(ca.Spec.IsCA);
        Assert.Equal(ca.Spec.SecretName, caIssuer.Spec?.Ca?.SecretName);
    }

    [Theory]
    [InlineData("carbon-extender-tls", "server auth")]
    [InlineData("carbon-scheduler-client", "client auth")]
    public void LeafCertificate_IsSignedByTheCaIssuer_ForItsUse(string name, string usage)
    {
        var certificate = Default.Named<Certificate>(name);

        Assert.Equal(("carbon-ca", "Issuer"), (certificate.Spec?.IssuerRef?.Name, certificate.Spec?.IssuerRef?.Kind));
        Assert.Contains(usage, certificate.Spec!.Usages);
        Assert.NotEqual(true, certificate.Spec.IsCA);
        Assert.Equal("Always", certificate.Spec.PrivateKey?.RotationPolicy);
    }

    [Fact]
    public void Certificates_AndIssuers_LiveBesideTheExtender()
    {
        Assert.All(Default.Where(m => m.Value is Certificate or Issuer), m => Assert.Equal("carbon-system", m.Namespace));
    }
}
