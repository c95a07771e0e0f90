using k8s.Models;

namespace Scheduler.Deploy.Tests.Models;

/// <summary>cert-manager's Issuer (cert-manager.io/v1): self-signed or a CA from a Secret.</summary>
public sealed class Issuer
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta? Metadata { get; set; }

    public SpecFields? Spec { get; set; }

    public sealed class SpecFields
    {
        public SelfSignedFields? SelfSigned { get; set; }

        public CaFields? Ca { get; set; }
    }

    public sealed class SelfSignedFields
    {
        public List<string> CrlDistributionPoints { get; set; } = [];
    }

    public sealed class CaFields
    {
        public string? SecretName { get; set; }
    }
}
