using System.Text.Json;
using System.Text.Unicode;

namespace Scheduler.Kubernetes.Admission;

/// <summary>
/// Reads an <c>admission.k8s.io/v1</c> <c>AdmissionReview</c> request. KubernetesClient has no model of
/// it, and only a few fields matter, so they are read from the JSON directly; every problem becomes an
/// <see cref="AdmissionReviewException"/> naming the field.
/// </summary>
public static class AdmissionReviewReader
{
    /// <summary>The only review version read; the webhook configuration must ask for it.</summary>
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>The review's kind.</summary>
    public const string Kind = "AdmissionReview";

    /// <summary>Reads the request of the review in <paramref name="body"/>.</summary>
    /// <exception cref="AdmissionReviewException">The body is not an <c>admission.k8s.io/v1</c> <c>AdmissionReview</c> with a request.</exception>
    public static AdmissionRequest Read(ReadOnlySpan<byte> body)
    {
        // JsonDocument checks UTF-8 only in the strings that are read as text; the rest of the object is
        // deserialized later, where invalid bytes would fail outside the reader's errors.
        if (!Utf8.IsValid(body))
        {
            throw new AdmissionReviewException($"The body is not valid UTF-8; expected an {ApiVersion} AdmissionReview in JSON.");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new AdmissionReviewException($"The body is not valid JSON ({e.Message}); expected an {ApiVersion} AdmissionReview.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AdmissionReviewException($"The body is a JSON {Describe(root.ValueKind)}; expected an {ApiVersion} AdmissionReview object.");
            }

            var apiVersion = String(root, "apiVersion", "apiVersion", required: false);
            var kind = String(root, "kind", "kind", required: false);
            if (!string.Equals(kind, Kind, StringComparison.Ordinal))
            {
                throw new AdmissionReviewException($"kind is {Quote(kind)}; expected {Kind}. This endpoint is a mutating admission webhook for the API server.");
            }

            if (!string.Equals(apiVersion, ApiVersion, StringComparison.Ordinal))
            {
                throw new AdmissionReviewException($"apiVersion is {Quote(apiVersion)}; expected {ApiVersion} (set admissionReviewVersions: [\"v1\"] in the webhook configuration).");
            }

            if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
            {
                throw new AdmissionReviewException("request is missing or not an object; the API server sends the AdmissionReview with its request.");
            }

            var uid = String(request, "uid", "request.uid", required: true)!;
            var operation = String(request, "operation", "request.operation", required: true)!;
            var objectKind = ReadKind(request);
            var dryRun = request.TryGetProperty("dryRun", out var dry) && dry.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw new AdmissionReviewException("request.dryRun must be true or false."),
            };
            string? objectJson = null;
            if (request.TryGetProperty("object", out var admitted) && admitted.ValueKind != JsonValueKind.Null)
            {
                objectJson = admitted.ValueKind == JsonValueKind.Object
                    ? admitted.GetRawText()
                    : throw new AdmissionReviewException($"request.object is a JSON {Describe(admitted.ValueKind)}; expected the admitted object.");
            }

            return new AdmissionRequest(
                apiVersion!,
                kind!,
                uid,
                objectKind,
                String(request, "subResource", "request.subResource", required: false),
                operation,
                String(request, "namespace", "request.namespace", required: false),
                String(request, "name", "request.name", required: false),
                dryRun,
                objectJson);
        }
    }

    private static GroupVersionKind ReadKind(JsonElement request)
    {
        if (!request.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.Object)
        {
            throw new AdmissionReviewException("request.kind is missing or not a {group, version, kind} object.");
        }

        // The core group is sent as "" (or left out).
        return new GroupVersionKind(
            String(kind, "group", "request.kind.group", required: false) ?? string.Empty,
            String(kind, "version", "request.kind.version", required: true)!,
            String(kind, "kind", "request.kind.kind", required: true)!);
    }

    private static string? String(JsonElement parent, string property, string path, bool required)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new AdmissionReviewException($"{path} is missing.") : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new AdmissionReviewException($"{path} is a JSON {Describe(value.ValueKind)}; expected a string.");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // Valid UTF-8 can still escape half a surrogate pair (\ud800), which is no string.
            throw new AdmissionReviewException($"{path} is not a valid string: {e.Message}", e);
        }

        return required && text.Length == 0 ? throw new AdmissionReviewException($"{path} is empty.") : text;
    }

    private static string Quote(string? text) => text is null ? "missing" : $"'{text}'";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
