using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Admission;

/// <summary>One RFC 6902 JSON Patch operation.</summary>
/// <param name="Op">The operation, e.g. <c>add</c>.</param>
/// <param name="Path">The target as an RFC 6901 JSON Pointer.</param>
/// <param name="Value">The value added or put in place.</param>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value)
{
    /// <summary>
    /// An <c>add</c>: it creates the member, or replaces it when present, so it needs no knowledge
    /// of whether the target exists (its parent must).
    /// </summary>
    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value);
}
