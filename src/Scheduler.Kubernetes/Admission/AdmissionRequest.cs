namespace Scheduler.Kubernetes.Admission;

/// <summary>The parts of an <c>admission.k8s.io/v1</c> <c>AdmissionReview</c> request the webhook reads.</summary>
/// <param name="ApiVersion">The review's <c>apiVersion</c>, echoed in the response.</param>
/// <param name="ReviewKind">The review's <c>kind</c>, echoed in the response.</param>
/// <param name="Uid">The request's <c>uid</c>, echoed in the response.</param>
/// <param name="Kind">The type of the admitted object.</param>
/// <param name="SubResource">The subresource requested, if any (e.g. <c>status</c>).</param>
/// <param name="Operation"><c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c> or <c>CONNECT</c>.</param>
/// <param name="Namespace">The object's namespace, when namespaced.</param>
/// <param name="Name">The object's name; empty at <c>CREATE</c> when the name is generated.</param>
/// <param name="DryRun">Whether the API request is a dry run (nothing is persisted).</param>
/// <param name="ObjectJson">The admitted object as JSON, or <c>null</c> when the request carries none.</param>
public sealed record AdmissionRequest(
    string ApiVersion,
    string ReviewKind,
    string Uid,
    GroupVersionKind Kind,
    string? SubResource,
    string Operation,
    string? Namespace,
    string? Name,
    bool DryRun,
    string? ObjectJson)
{
    /// <summary>Whether the request creates an object (not a subresource).</summary>
    public bool IsCreate => string.Equals(Operation, "CREATE", StringComparison.Ordinal) && string.IsNullOrEmpty(SubResource);
}
