namespace Scheduler.Kubernetes.Admission;

/// <summary>The Kueue labels and annotations the webhook reads and writes.</summary>
public static class KueueKeys
{
    /// <summary>The label that puts a Job in a Kueue LocalQueue: Kueue then owns its <c>spec.suspend</c>.</summary>
    public const string QueueNameLabel = "kueue.x-k8s.io/queue-name";

    /// <summary>Comma-separated gates that keep Kueue from admitting a Job until each is removed.</summary>
    public const string AdmissionGatedBy = "kueue.x-k8s.io/admission-gated-by";
}
