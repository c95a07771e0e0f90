using YamlDotNet.Serialization;

namespace Scheduler.Deploy.Tests.Models;

/// <summary>
/// kube-scheduler's configuration file (kubescheduler.config.k8s.io/v1), with the fields of
/// <c>k8s.io/kube-scheduler/config/v1</c> the manifests use; every extender field is modelled, so a misspelt one
/// fails as it would in kube-scheduler's strict decoding.
/// </summary>
public sealed class KubeSchedulerConfiguration
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public int? Parallelism { get; set; }

    public LeaderElectionFields? LeaderElection { get; set; }

    public ClientConnectionFields? ClientConnection { get; set; }

    public int? PercentageOfNodesToScore { get; set; }

    public List<Profile> Profiles { get; set; } = [];

    public List<Extender> Extenders { get; set; } = [];

    public sealed class LeaderElectionFields
    {
        public bool? LeaderElect { get; set; }

        public string? LeaseDuration { get; set; }

        public string? RenewDeadline { get; set; }

        public string? RetryPeriod { get; set; }

        public string? ResourceLock { get; set; }

        public string? ResourceName { get; set; }

        public string? ResourceNamespace { get; set; }
    }

    public sealed class ClientConnectionFields
    {
        public string? Kubeconfig { get; set; }

        public float? Qps { get; set; }

        public int? Burst { get; set; }
    }

    public sealed class Profile
    {
        public string? SchedulerName { get; set; }

        public int? PercentageOfNodesToScore { get; set; }
    }

    public sealed class Extender
    {
        public string? UrlPrefix { get; set; }

        public string? FilterVerb { get; set; }

        public string? PreemptVerb { get; set; }

        public string? PrioritizeVerb { get; set; }

        public long? Weight { get; set; }

        public string? BindVerb { get; set; }

        [YamlMember(Alias = "enableHTTPS")]
        public bool? EnableHttps { get; set; }

        public TlsFields? TlsConfig { get; set; }

        public string? HttpTimeout { get; set; }

        public bool? NodeCacheCapable { get; set; }

        public List<ManagedResource> ManagedResources { get; set; } = [];

        public bool? Ignorable { get; set; }
    }

    public sealed class TlsFields
    {
        public bool? Insecure { get; set; }

        public string? ServerName { get; set; }

        public string? CertFile { get; set; }

        public string? KeyFile { get; set; }

        public string? CaFile { get; set; }

        public string? CertData { get; set; }

        public string? KeyData { get; set; }

        public string? CaData { get; set; }
    }

    public sealed class ManagedResource
    {
        public string? Name { get; set; }

        public bool? IgnoredByScheduler { get; set; }
    }
}
