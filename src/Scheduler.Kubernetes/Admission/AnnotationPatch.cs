using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Admission;

/// <summary>Patch operations that set annotations, whether or not the object has an annotations map yet.</summary>
public static class AnnotationPatch
{
    /// <summary>Where the annotations map of any object sits.</summary>
    public const string AnnotationsPath = "/metadata/annotations";

    /// <summary>
    /// Operations that set each of <paramref name="values"/> on an object whose annotations are
    /// <paramref name="existing"/>: one <c>add</c> per key when the map exists, or one <c>add</c> of the
    /// whole map when it does not, because JSON Patch cannot add a member to a missing parent.
    /// </summary>
    public static IReadOnlyList<JsonPatchOperation> Set(IDictionary<string, string>? existing, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (existing is null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in values)
            {
                map[key] = value;
            }

            return [JsonPatchOperation.Add(AnnotationsPath, map)];
        }

        return [.. values.Select(pair => JsonPatchOperation.Add(JsonPointer.Child(AnnotationsPath, pair.Key), JsonValue.Create(pair.Value)))];
    }
}
