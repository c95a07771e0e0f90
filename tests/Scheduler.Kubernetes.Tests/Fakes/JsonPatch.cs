using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// RFC 6902 JSON Patch (<c>application/json-patch+json</c>): <c>add</c>, <c>remove</c>, <c>replace</c>,
/// <c>move</c>, <c>copy</c> and <c>test</c>, with RFC 6901 pointers (<c>~1</c> for <c>/</c>, <c>~0</c> for
/// <c>~</c>). Applied all or nothing, as the API server applies it (evanphx/json-patch v4).
/// </summary>
internal static class JsonPatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="document"/>. A patch that is not an array
    /// of operations is a 400; an operation that does not apply (a failed <c>test</c>, a missing path) is the
    /// API server's generic 422, which does not say which operation failed.
    /// </summary>
    public static JsonNode? Apply(JsonNode? document, string patch)
    {
        JsonArray operations;
        try
        {
            operations = JsonNode.Parse(patch) as JsonArray
                ?? throw BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        catch (JsonException e)
        {
            throw BadRequest(e.Message);
        }

        var result = document?.DeepClone();
        foreach (var node in operations)
        {
            var operation = node as JsonObject ?? throw BadRequest("json: cannot unmarshal value into Go value of type jsonpatch.Operation");
            result = ApplyOne(result, operation);
        }

        return result;
    }

    /// <summary>The reference tokens of a JSON Pointer, unescaped; throws the 422 for a pointer that does not start with <c>/</c>.</summary>
    public static IReadOnlyList<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw NotApplied();
        }

        // ~1 first, then ~0 (RFC 6901 section 4), so that "~01" reads "~1".
        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? ApplyOne(JsonNode? document, JsonObject operation)
    {
        var path = Tokens(Text(operation, "path"));
        switch (Text(operation, "op"))
        {
            case "add":
                return Add(document, path, Value(operation));
            case "remove":
                return Remove(document, path, out _);
            case "replace":
                return Replace(document, path, Value(operation));
            case "move":
                var from = Tokens(Text(operation, "from"));
                var moved = Remove(document, from, out var value);
                return Add(moved, path, value);
            case "copy":
                return Add(document, path, Get(document, Tokens(Text(operation, "from")))?.DeepClone());
            case "test":
                var expected = operation.TryGetPropertyValue("value", out var v) ? v : throw NotApplied();
                if (!TryGet(document, path, out var actual))
                {
                    // evanphx/json-patch: testing a missing member for null passes.
                    return expected is null ? document : throw NotApplied();
                }

                return JsonNode.DeepEquals(actual, expected) ? document : throw NotApplied();
            default:
                throw NotApplied();
        }
    }

    private static JsonNode? Add(JsonNode? document, IReadOnlyList<string> path, JsonNode? value)
    {
        if (path.Count == 0)
        {
            return value;
        }

        var parent = Get(document, path.Take(path.Count - 1).ToList());
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when Index(last, a.Count + 1) is { } index:
                a.Insert(index, value);
                break;
            default:
                throw NotApplied();
        }

        return document;
    }

    private static JsonNode? Replace(JsonNode? document, IReadOnlyList<string> path, JsonNode? value)
    {
        if (path.Count == 0)
        {
            return value;
        }

        // In place, so that a replaced member keeps its position.
        var parent = Get(document, path.Take(path.Count - 1).ToList());
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o[last] = value;
                break;
            case JsonArray a when Index(last, a.Count) is { } index:
                a[index] = value;
                break;
            default:
                throw NotApplied();
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, IReadOnlyList<string> path, out JsonNode? removed)
    {
        if (path.Count == 0)
        {
            throw NotApplied();
        }

        var parent = Get(document, path.Take(path.Count - 1).ToList());
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                removed = o[last];
                o.Remove(last);
                break;
            case JsonArray a when Index(last, a.Count) is { } index:
                removed = a[index];
                a.RemoveAt(index);
                break;
            default:
                throw NotApplied();
        }

        return document;
    }

    private static JsonNode? Get(JsonNode? document, IReadOnlyList<string> path) =>
        TryGet(document, path, out var value) ? value : throw NotApplied();

    private static bool TryGet(JsonNode? document, IReadOnlyList<string> path, out JsonNode? value)
    {
        value = document;
        foreach (var token in path)
        {
            switch (value)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var member):
                    value = member;
                    break;
                case JsonArray a when Index(token, a.Count) is { } index:
                    value = a[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    private static int? Index(string token, int count) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < count ? index : null;

    private static string Text(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw NotApplied();

    private static JsonNode? Value(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw NotApplied();

    private static ApiStatusException NotApplied() => new(StatusResponses.PatchNotApplied());

    private static ApiStatusException BadRequest(string message) => new(StatusResponses.BadRequest(message));
}
