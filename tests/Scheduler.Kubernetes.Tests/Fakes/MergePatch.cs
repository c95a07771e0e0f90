using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// RFC 7386 JSON Merge Patch (<c>application/merge-patch+json</c>): members of the patch replace the
/// document's, objects merge recursively, <c>null</c> removes a member, and arrays are replaced whole.
/// </summary>
internal static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="document"/>; a patch that is not a JSON object is a 400.</summary>
    public static JsonNode? Apply(JsonNode? document, string patch) => Merge(document?.DeepClone(), ParseObject(patch));

    /// <summary>Parses a patch that must be a JSON object, as the API server's merge patches must be.</summary>
    public static JsonObject ParseObject(string patch)
    {
        try
        {
            // evanphx/json-patch's ErrBadJSONPatch, which the API server answers with a 400.
            return JsonNode.Parse(patch) as JsonObject ?? throw new ApiStatusException(StatusResponses.BadRequest("Invalid JSON Patch"));
        }
        catch (JsonException e)
        {
            throw new ApiStatusException(StatusResponses.BadRequest($"error decoding patch: {e.Message}"));
        }
    }

    /// <summary>RFC 7386 <c>MergePatch(Target, Patch)</c>, changing <paramref name="target"/> when it is an object.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                // An object member merges in place (keeping its position); anything else is replaced.
                var existing = result[name];
                var merged = Merge(existing, value);
                if (!ReferenceEquals(merged, existing))
                {
                    result[name] = merged;
                }
            }
        }

        return result;
    }
}
