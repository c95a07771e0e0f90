namespace Scheduler.Kubernetes.Admission;

/// <summary>The fully-qualified type of an admitted object, e.g. <c>batch/v1 Job</c> (the core group is empty).</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version.</param>
/// <param name="Kind">The kind.</param>
public sealed record GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary>Whether this is <paramref name="group"/>/<paramref name="version"/> <paramref name="kind"/>.</summary>
    public bool Is(string group, string version, string kind) =>
        string.Equals(Group, group, StringComparison.Ordinal)
        && string.Equals(Version, version, StringComparison.Ordinal)
        && string.Equals(Kind, kind, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Group.Length == 0 ? $"{Version} {Kind}" : $"{Group}/{Version} {Kind}";
}
