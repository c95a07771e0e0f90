namespace Scheduler.Kubernetes.Deferral;

/// <summary>A Job by namespace and name, as the controller schedules its wake-ups.</summary>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Name">metadata.name.</param>
public sealed record JobKey(string Namespace, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name}";
}
