namespace Scheduler.Kubernetes.Admission;

/// <summary>What the webhook did with an admitted object.</summary>
public enum AdmissionOutcome
{
    /// <summary>Allowed as it came: not ours, nothing to defer, or not held for a reason given in the warnings.</summary>
    Untouched,

    /// <summary>Allowed with a patch that holds it until the controller releases it.</summary>
    Held,

    /// <summary>Rejected: a strict Job with invalid carbon annotations.</summary>
    Denied,
}
