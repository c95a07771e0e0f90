namespace Scheduler.Kubernetes.Admission;

/// <summary>The webhook's answer to one admission request.</summary>
/// <param name="Outcome">Untouched, held or denied.</param>
/// <param name="Patch">The JSON Patch of a held object; empty otherwise.</param>
/// <param name="Warnings">Shown to the client that made the request (kubectl prints each as <c>Warning: ...</c>).</param>
/// <param name="DenialMessage">Why a denied request was rejected; <c>null</c> when allowed.</param>
/// <param name="Reason">The decision in a few words, for the log.</param>
public sealed record AdmissionDecision(
    AdmissionOutcome Outcome,
    IReadOnlyList<JsonPatchOperation> Patch,
    IReadOnlyList<string> Warnings,
    string? DenialMessage,
    string Reason)
{
    /// <summary>The HTTP-like code of a denial: the user's annotations are at fault.</summary>
    public const int DenialCode = 400;

    /// <summary>Whether the request is allowed.</summary>
    public bool Allowed => Outcome != AdmissionOutcome.Denied;

    /// <summary>Allowed as it came, with optional warnings.</summary>
    public static AdmissionDecision Untouched(string reason, params IReadOnlyList<string> warnings) =>
        new(AdmissionOutcome.Untouched, [], warnings, null, reason);

    /// <summary>Allowed with <paramref name="patch"/>.</summary>
    public static AdmissionDecision Held(IReadOnlyList<JsonPatchOperation> patch, string reason) =>
        new(AdmissionOutcome.Held, patch, [], null, reason);

    /// <summary>Rejected with <paramref name="message"/>.</summary>
    public static AdmissionDecision Denied(string message) =>
        new(AdmissionOutcome.Denied, [], [], message, "denied");
}
