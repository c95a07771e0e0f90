using k8s.Models;

namespace Scheduler.Deploy.Tests.Models;

/// <summary>Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1): alerting and recording rules.</summary>
public sealed class PrometheusRule
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta? Metadata { get; set; }

    public SpecFields? Spec { get; set; }

    public sealed class SpecFields
    {
        public List<Group> Groups { get; set; } = [];
    }

    public sealed class Group
    {
        public string? Name { get; set; }

        public string? Interval { get; set; }

        public List<Rule> Rules { get; set; } = [];
    }

    public sealed class Rule
    {
        public string? Alert { get; set; }

        public string? Record { get; set; }

        public string? Expr { get; set; }

        public string? For { get; set; }

        public string? KeepFiringFor { get; set; }

        public Dictionary<string, string> Labels { get; set; } = [];

        public Dictionary<string, string> Annotations { get; set; } = [];
    }
}
