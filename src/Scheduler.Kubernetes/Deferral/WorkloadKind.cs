namespace Scheduler.Kubernetes.Deferral;

/// <summary>The kinds of object the deferral controller holds and releases.</summary>
public enum WorkloadKind
{
    /// <summary>A <c>batch/v1</c> Job, held by <c>spec.suspend</c> or by our Kueue admission gate.</summary>
    Job,

    /// <summary>A bare <c>v1</c> Pod (no controller owner), held by our scheduling gate.</summary>
    Pod,
}
