namespace Scheduler.Kubernetes.Deferral;

/// <summary>A Job or a bare Pod by namespace and name, as the controller queues it and schedules its wake-ups.</summary>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Kind">The kind of object. Default <see cref="WorkloadKind.Job"/>.</param>
public sealed record JobKey(string Namespace, string Name, WorkloadKind Kind = WorkloadKind.Job)
{
    private const string PodPrefix = "pod/";

    /// <summary>
    /// The name of the key's wake-ups in a persistent store: <c>namespace/name</c> for a Job (as before Pods were
    /// handled, so the stored wake-ups of Jobs keep their names), <c>pod/namespace/name</c> for a Pod. A namespace
    /// has no <c>/</c>, so the two never collide, and <see cref="FromWakeUpName"/> reads the key back.
    /// </summary>
    public string WakeUpName => Kind == WorkloadKind.Pod ? $"{PodPrefix}{Namespace}/{Name}" : $"{Namespace}/{Name}";

    /// <summary>The key named by <paramref name="name"/>, a <see cref="WakeUpName"/>.</summary>
    /// <exception cref="FormatException">The name is not one of a key.</exception>
    public static JobKey FromWakeUpName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var kind = name.StartsWith(PodPrefix, StringComparison.Ordinal) ? WorkloadKind.Pod : WorkloadKind.Job;
        var rest = kind == WorkloadKind.Pod ? name[PodPrefix.Length..] : name;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1 || rest.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"'{name}' is not a wake-up name (namespace/name or pod/namespace/name).");
        }

        return new JobKey(rest[..slash], rest[(slash + 1)..], kind);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name}";
}
