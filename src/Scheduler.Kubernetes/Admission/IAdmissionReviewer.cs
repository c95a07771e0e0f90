namespace Scheduler.Kubernetes.Admission;

/// <summary>Decides one kind of admission request.</summary>
public interface IAdmissionReviewer
{
    /// <summary>The decision on <paramref name="request"/>.</summary>
    /// <exception cref="AdmissionReviewException">The request's object cannot be read.</exception>
    AdmissionDecision Review(AdmissionRequest request);
}
