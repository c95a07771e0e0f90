namespace Scheduler.Kubernetes.Admission;

/// <summary>A body that is not a readable <c>AdmissionReview</c>; answered with HTTP 400 and this message.</summary>
public sealed class AdmissionReviewException : Exception
{
    /// <summary>Creates the exception with the message for the caller.</summary>
    public AdmissionReviewException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message for the caller and its cause.</summary>
    public AdmissionReviewException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public AdmissionReviewException()
        : base("The body is not a readable AdmissionReview.")
    {
    }
}
