namespace Scheduler.Kubernetes.Nodes;

/// <summary>Where node data comes from when requests carry only names (configuration section <c>Nodes</c>).</summary>
public sealed class NodesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Nodes";

    /// <summary>A JSON or YAML <c>NodeList</c> used as the node cache when there is no cluster.</summary>
    public string? InventoryFile { get; set; }

    /// <summary>How often the inventory file is checked for changes, in seconds. Default 30.</summary>
    public int InventoryPollSeconds { get; set; } = 30;

    /// <summary>Every problem with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (InventoryFile is not null && !File.Exists(InventoryFile))
        {
            errors.Add($"Nodes:InventoryFile '{InventoryFile}' does not exist.");
        }

        if (InventoryPollSeconds is < 1 or > 3600)
        {
            errors.Add($"Nodes:InventoryPollSeconds is {InventoryPollSeconds}; it must be between 1 and 3600.");
        }

        return errors;
    }
}
