using k8s.Models;

namespace Scheduler.Deploy.Tests.Models;

/// <summary>cert-manager's Certificate (cert-manager.io/v1), with the fields the manifests use.</summary>
public sealed class Certificate
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta? Metadata { get; set; }

    public SpecFields? Spec { get; set; }

    public sealed class SpecFields
    {
        public string? SecretName { get; set; }

        public string? CommonName { get; set; }

        public List<string> DnsNames { get; set; } = [];

        public bool? IsCA { get; set; }

        public string? Duration { get; set; }

        public string? RenewBefore { get; set; }

        public List<string> Usages { get; set; } = [];

        public PrivateKeyFields? PrivateKey { get; set; }

        public IssuerReference? IssuerRef { get; set; }
    }

    public sealed class PrivateKeyFields
    {
        public string? Algorithm { get; set; }

        public int? Size { get; set; }

        public string? Encoding { get; set; }

        public string? RotationPolicy { get; set; }
    }

    public sealed class IssuerReference
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }

        public string? Group { get; set; }
    }
}
