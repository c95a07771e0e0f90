namespace Scheduler.Core.Pods;

/// <summary>The resource requests and limits of one container, as quantity strings keyed by resource name.</summary>
public sealed record ContainerResources(
    IReadOnlyDictionary<string, string> Requests,
    IReadOnlyDictionary<string, string> Limits)
{
    /// <summary>A container with no requests or limits.</summary>
    public static ContainerResources None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}
