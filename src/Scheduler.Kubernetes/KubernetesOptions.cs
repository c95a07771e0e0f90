namespace Scheduler.Kubernetes;

/// <summary>Cluster access (configuration section <c>Kubernetes</c>).</summary>
public sealed class KubernetesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Kubernetes";

    /// <summary><c>true</c> to use the cluster (in-cluster config, else kubeconfig) for nodes. Default <c>false</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>A kubeconfig file to use instead of the in-cluster configuration or <c>~/.kube/config</c>.</summary>
    public string? KubeConfigFile { get; set; }

    /// <summary>How long a node watch may stay open before it is renewed, in seconds. Default 300.</summary>
    public int WatchTimeoutSeconds { get; set; } = 300;

    /// <summary>The longest wait between reconnection attempts after an error, in seconds. Default 30.</summary>
    public int MaxReconnectDelaySeconds { get; set; } = 30;

    /// <summary>Every problem with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (KubeConfigFile is not null && !File.Exists(KubeConfigFile))
        {
            errors.Add($"Kubernetes:KubeConfigFile '{KubeConfigFile}' does not exist.");
        }

        if (WatchTimeoutSeconds is < 10 or > 3600)
        {
            errors.Add($"Kubernetes:WatchTimeoutSeconds is {WatchTimeoutSeconds}; it must be between 10 and 3600.");
        }

        if (MaxReconnectDelaySeconds is < 1 or > 600)
        {
            errors.Add($"Kubernetes:MaxReconnectDelaySeconds is {MaxReconnectDelaySeconds}; it must be between 1 and 600.");
        }

        return errors;
    }
}
