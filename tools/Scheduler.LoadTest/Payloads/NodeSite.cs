namespace Scheduler.LoadTest.Payloads;

/// <summary>Where a synthetic node runs, and so which grid zone the extender should resolve for it.</summary>
/// <param name="Region">The <c>topology.kubernetes.io/region</c> label, or <c>null</c> when the node has none.</param>
/// <param name="ZoneIdPrefix">The AWS availability-zone id prefix (e.g. <c>euc1</c>), or <c>null</c> off-cloud.</param>
/// <param name="Expected">The grid zone the extender should find, as written in reports.</param>
/// <param name="Weight">Relative share of the cluster's nodes.</param>
internal sealed record NodeSite(string? Region, string? ZoneIdPrefix, string Expected, int Weight)
{
    /// <summary>Whether the node is in a cloud region (and so has the cloud provider's labels).</summary>
    public bool IsCloud => ZoneIdPrefix is not null;
}
