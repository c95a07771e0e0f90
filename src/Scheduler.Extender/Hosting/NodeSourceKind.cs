namespace Scheduler.Extender.Hosting;

/// <summary>Where the node cache is filled from.</summary>
internal enum NodeSourceKind
{
    /// <summary>No cache: requests must carry full nodes.</summary>
    None,

    /// <summary>The inventory file (<c>Nodes:InventoryFile</c>).</summary>
    InventoryFile,

    /// <summary>A watch on the cluster (<c>Kubernetes:Enabled</c>).</summary>
    Cluster,
}

/// <summary>The configured node source, as a service.</summary>
internal sealed record NodeSource(NodeSourceKind Kind);
