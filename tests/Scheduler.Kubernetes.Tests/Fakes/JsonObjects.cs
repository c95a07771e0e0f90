using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// Small helpers over the JSON form the fake stores objects in. Objects are kept as <see cref="JsonObject"/>
/// so that one store, one list/watch and one patch implementation serve every kind; the typed models of
/// KubernetesClient are used at the edges (to normalize and to hand objects to tests).
/// </summary>
internal static class JsonObjects
{
    /// <summary>The JSON of <paramref name="model"/> as <see cref="KubernetesJson"/> writes it (camelCase, RFC 3339 times, no nulls).</summary>
    public static JsonObject FromModel(object model) => Parse(KubernetesJson.Serialize(model));

    /// <summary>The typed model of <paramref name="json"/>.</summary>
    public static T ToModel<T>(JsonNode json) => KubernetesJson.Deserialize<T>(json);

    /// <summary>The JSON text of <paramref name="json"/>, as <see cref="KubernetesJson"/> writes it.</summary>
    public static string Serialize(JsonNode json) => KubernetesJson.Serialize(json);

    /// <summary>Parses a JSON object; throws <see cref="JsonException"/> for anything else.</summary>
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The JSON is not an object.");

    /// <summary>The <c>metadata</c> of <paramref name="json"/>, added when missing.</summary>
    public static JsonObject Metadata(JsonObject json) => ObjectAt(json, "metadata");

    /// <summary>The object at <paramref name="path"/>, with every missing (or non-object) step on the way created.</summary>
    public static JsonObject ObjectAt(JsonObject json, params ReadOnlySpan<string> path)
    {
        var current = json;
        foreach (var step in path)
        {
            if (current[step] is not JsonObject next)
            {
                next = [];
                current[step] = next;
            }

            current = next;
        }

        return current;
    }

    /// <summary>The node at <paramref name="path"/>, or <c>null</c>.</summary>
    public static JsonNode? At(JsonObject json, params ReadOnlySpan<string> path)
    {
        JsonNode? current = json;
        foreach (var step in path)
        {
            current = current is JsonObject o ? o[step] : null;
        }

        return current;
    }

    /// <summary>The text of the node at <paramref name="path"/> (numbers and booleans as JSON writes them), or <c>null</c>.</summary>
    public static string? StringAt(JsonObject json, params ReadOnlySpan<string> path) => At(json, path) switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    /// <summary>The <c>metadata.name</c> of <paramref name="json"/>, or an empty string.</summary>
    public static string Name(JsonObject json) => StringAt(json, "metadata", "name") ?? string.Empty;

    /// <summary>The <c>metadata.namespace</c> of <paramref name="json"/>, or <c>null</c>.</summary>
    public static string? Namespace(JsonObject json) => StringAt(json, "metadata", "namespace");

    /// <summary>The <c>metadata.resourceVersion</c> of <paramref name="json"/>, or <c>null</c>.</summary>
    public static string? ResourceVersion(JsonObject json) => StringAt(json, "metadata", "resourceVersion");

    /// <summary>The <c>metadata.uid</c> of <paramref name="json"/>, or <c>null</c>.</summary>
    public static string? Uid(JsonObject json) => StringAt(json, "metadata", "uid");

    /// <summary>The <c>metadata.labels</c> of <paramref name="json"/> (empty when it has none).</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonObject json) =>
        At(json, "metadata", "labels") is JsonObject labels
            ? labels.Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="json"/> has a non-null property <paramref name="name"/>.</summary>
    public static bool Has(JsonObject json, string name) => json[name] is not null;

    /// <summary>A timestamp as the API server writes a <c>metav1.Time</c>: RFC 3339, whole seconds, UTC.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A resourceVersion as text.</summary>
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A copy of <paramref name="json"/> that can be changed or attached to another tree.</summary>
    public static JsonObject Copy(JsonObject json) => json.DeepClone().AsObject();

    /// <summary>A copy of <paramref name="json"/>, or <c>null</c>.</summary>
    public static JsonNode? Copy(JsonNode? json) => json?.DeepClone();

    /// <summary>Sets <paramref name="to"/>'s field <paramref name="name"/> to a copy of <paramref name="from"/>'s, or removes it when <paramref name="from"/> has none.</summary>
    public static void CopyProperty(JsonObject from, JsonObject to, string name)
    {
        if (from[name] is { } value)
        {
            to[name] = value.DeepClone();
        }
        else
        {
            to.Remove(name);
        }
    }

    /// <summary>A copy of <paramref name="json"/> without its empty-object and null fields: Go leaves zero values out, so an empty object and an absent one are the same.</summary>
    public static JsonObject PruneEmpty(JsonObject json)
    {
        var copy = Copy(json);
        foreach (var (name, value) in copy.ToList())
        {
            if (value is JsonObject { Count: 0 } || value is null)
            {
                copy.Remove(name);
            }
        }

        return copy;
    }
}
