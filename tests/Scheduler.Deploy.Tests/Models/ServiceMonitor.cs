using k8s.Models;

namespace Scheduler.Deploy.Tests.Models;

/// <summary>Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), with the fields the manifests use.</summary>
public sealed class ServiceMonitor
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta? Metadata { get; set; }

    public SpecFields? Spec { get; set; }

    public sealed class SpecFields
    {
        public V1LabelSelector? Selector { get; set; }

        public NamespaceSelectorFields? NamespaceSelector { get; set; }

        public List<Endpoint> Endpoints { get; set; } = [];

        public string? JobLabel { get; set; }
    }

    public sealed class NamespaceSelectorFields
    {
        public bool? Any { get; set; }

        public List<string> MatchNames { get; set; } = [];
    }

    public sealed class Endpoint
    {
        public string? Port { get; set; }

        public string? Path { get; set; }

        public string? Scheme { get; set; }

        public string? Interval { get; set; }

        public string? ScrapeTimeout { get; set; }

        public bool? HonorLabels { get; set; }
    }
}
