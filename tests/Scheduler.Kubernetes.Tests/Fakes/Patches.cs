using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>The patch content types the fake applies, and their dispatch.</summary>
internal static class Patches
{
    /// <summary>RFC 6902 JSON Patch.</summary>
    public const string Json = "application/json-patch+json";

    /// <summary>RFC 7386 JSON Merge Patch.</summary>
    public const string Merge = "application/merge-patch+json";

    /// <summary>Kubernetes strategic merge patch.</summary>
    public const string StrategicMerge = "application/strategic-merge-patch+json";

    /// <summary>
    /// The types applied, in the API server's order. Server-side apply (<c>application/apply-patch+yaml</c>),
    /// which the API server also accepts, is not: it gets the 415 with this list.
    /// </summary>
    public static readonly IReadOnlyList<string> Supported = [Json, Merge, StrategicMerge];

    /// <summary>The media type of a <c>Content-Type</c> header, without parameters such as <c>charset</c>.</summary>
    public static string MediaType(string? contentType) =>
        (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Throws the 415 unless <paramref name="contentType"/> is one of <see cref="Supported"/>.</summary>
    public static void EnsureSupported(string? contentType)
    {
        if (!Supported.Contains(MediaType(contentType)))
        {
            throw new ApiStatusException(StatusResponses.UnsupportedMediaType(Supported));
        }
    }

    /// <summary>Applies <paramref name="patch"/> of <paramref name="contentType"/> to a copy of <paramref name="current"/>.</summary>
    public static JsonNode? Apply(string? contentType, JsonObject current, string patch) => MediaType(contentType) switch
    {
        Json => JsonPatch.Apply(current, patch),
        Merge => MergePatch.Apply(current, patch),
        StrategicMerge => StrategicMergePatch.Apply(current, patch),
        _ => throw new ApiStatusException(StatusResponses.UnsupportedMediaType(Supported)),
    };
}
