using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// One resource the fake serves (e.g. <c>batch/v1 jobs</c>): how its paths, lists and Status messages are
/// named, which verbs it answers, how its JSON is normalized, and the strategy that applies the API
/// server's rules for the kind on writes.
/// </summary>
internal sealed class ResourceType
{
    /// <summary>The API group, empty for the core group.</summary>
    public required string Group { get; init; }

    /// <summary>The version, <c>v1</c>.</summary>
    public string Version { get; init; } = "v1";

    /// <summary>The resource (plural) of the paths, e.g. <c>jobs</c>.</summary>
    public required string Plural { get; init; }

    /// <summary>The kind, e.g. <c>Job</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Whether objects live in namespaces.</summary>
    public required bool Namespaced { get; init; }

    /// <summary>
    /// The storage the objects are kept in. Two resources share one (core and <c>events.k8s.io</c> Events,
    /// as in the API server, where both read and write the same objects).
    /// </summary>
    public required string Storage { get; init; }

    /// <summary>The request kind of each verb served; other verbs get 405.</summary>
    public required IReadOnlyDictionary<ApiVerb, ApiRequestKind> Verbs { get; init; }

    /// <summary>
    /// Decodes JSON into the kind's typed model and encodes it again: drops unknown fields (as the API
    /// server prunes them) and throws <see cref="System.Text.Json.JsonException"/> for wrongly typed ones.
    /// </summary>
    public required Func<JsonNode, JsonObject> Normalize { get; init; }

    /// <summary>The kind's write rules (defaults, generation, validation).</summary>
    public IResourceStrategy Strategy { get; init; } = ResourceStrategy.Default;

    /// <summary>Converts between this resource's JSON and the storage's, for a resource that shares a storage.</summary>
    public IObjectConversion? Conversion { get; init; }

    /// <summary>The field selector labels beyond <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
    public IReadOnlyDictionary<string, FieldLabel> FieldLabels { get; init; } = new Dictionary<string, FieldLabel>();

    /// <summary>What a BOOKMARK object has besides kind, apiVersion and metadata (Go writes an empty object's non-omitempty fields).</summary>
    public JsonObject? BookmarkExtra { get; init; }

    /// <summary>The <c>metav1.Time</c> fields besides metadata's, which the API server keeps to whole seconds (see <see cref="TimePrecision"/>).</summary>
    public IReadOnlyList<string> SecondTimes { get; init; } = [];

    /// <summary>The finalizer-based deletion the API server uses when a DELETE names no <c>propagationPolicy</c>.</summary>
    public string DefaultPropagation { get; init; } = "Background";

    /// <summary><c>v1</c> or <c>group/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource as Status messages name it, e.g. <c>jobs.batch</c> or <c>nodes</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind as validation messages name it, e.g. <c>Job.batch</c> or <c>Pod</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The kind of its lists, e.g. <c>JobList</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary>The storage form of an object of this resource.</summary>
    public JsonObject ToStorage(JsonObject json) => Conversion?.ToStorage(json) ?? json;

    /// <summary>This resource's form of a stored object (with kind and apiVersion).</summary>
    public JsonObject FromStorage(JsonObject stored)
    {
        var json = Conversion?.FromStorage(stored) ?? JsonObjects.Copy(stored);
        return WithType(json);
    }

    /// <summary><paramref name="json"/> with this resource's kind and apiVersion first, as the API server writes them.</summary>
    public JsonObject WithType(JsonObject json)
    {
        var typed = new JsonObject { ["kind"] = Kind, ["apiVersion"] = ApiVersion };
        foreach (var (name, value) in json.ToList())
        {
            if (name is not ("kind" or "apiVersion"))
            {
                json.Remove(name);
                typed[name] = value;
            }
        }

        return typed;
    }

    /// <inheritdoc />
    public override string ToString() => QualifiedResource;
}

/// <summary>A verb of the Kubernetes API, as the fake tells requests apart.</summary>
internal enum ApiVerb
{
    List,
    Watch,
    Get,
    Create,
    Update,
    Patch,
    Delete,
}

/// <summary>Where a field selector label reads its value, and what it reads when the field is absent.</summary>
/// <param name="Path">The JSON path in the stored object.</param>
/// <param name="Default">The value of an absent field (Go's zero value, e.g. <c>0</c> for <c>status.successful</c>).</param>
internal sealed record FieldLabel(string[] Path, string Default = "");

/// <summary>Converts an object between a resource's JSON and the JSON of the storage it shares.</summary>
internal interface IObjectConversion
{
    /// <summary>The storage form of <paramref name="json"/>.</summary>
    JsonObject ToStorage(JsonObject json);

    /// <summary>The resource's form of <paramref name="stored"/> (a new object).</summary>
    JsonObject FromStorage(JsonObject stored);
}
