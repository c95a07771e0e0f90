using System.Text.Encodings.Web;
using System.Text.Json;

namespace Scheduler.Kubernetes.Admission;

/// <summary>Writes the <c>AdmissionReview</c> response the API server expects from a mutating webhook.</summary>
public static class AdmissionReviewWriter
{
    /// <summary>The only patch type the API server accepts.</summary>
    public const string PatchType = "JSONPatch";

    // Warnings and messages reach kubectl as written; relaxed escaping keeps quotes and '+' readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the review answering <paramref name="request"/>: the same <c>apiVersion</c> and
    /// <c>kind</c>, the request's <c>uid</c>, and the decision (a base64 JSON Patch when held, a
    /// status with code and message when denied, warnings when there are any).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, AdmissionRequest request, AdmissionDecision decision)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decision);
        writer.WriteStartObject();
        writer.WriteString("apiVersion", request.ApiVersion);
        writer.WriteString("kind", request.ReviewKind);
        writer.WriteStartObject("response");
        writer.WriteString("uid", request.Uid);
        writer.WriteBoolean("allowed", decision.Allowed);
        if (!decision.Allowed)
        {
            writer.WriteStartObject("status");
            writer.WriteNumber("code", AdmissionDecision.DenialCode);
            writer.WriteString("message", decision.DenialMessage);
            writer.WriteEndObject();
        }

        if (decision.Allowed && decision.Patch.Count > 0)
        {
            writer.WriteString("patchType", PatchType);
            writer.WriteBase64String("patch", PatchBytes(decision.Patch));
        }

        if (decision.Warnings.Count > 0)
        {
            writer.WriteStartArray("warnings");
            foreach (var warning in decision.Warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The review answering <paramref name="request"/>, as UTF-8 JSON.</summary>
    public static byte[] Write(AdmissionRequest request, AdmissionDecision decision)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, request, decision);
        }

        return buffer.ToArray();
    }

    /// <summary>The RFC 6902 document of <paramref name="patch"/>, before base64.</summary>
    public static byte[] PatchBytes(IReadOnlyList<JsonPatchOperation> patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var operation in patch)
            {
                writer.WriteStartObject();
                writer.WriteString("op", operation.Op);
                writer.WriteString("path", operation.Path);
                writer.WritePropertyName("value");
                if (operation.Value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    operation.Value.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
