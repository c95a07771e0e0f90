using System.Globalization;
using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// The API server keeps <c>metav1.Time</c> fields to whole seconds (Go writes them as RFC 3339 without a
/// fraction), while <c>metav1.MicroTime</c> fields (a Lease's <c>renewTime</c>, an Event's <c>eventTime</c>)
/// keep microseconds. KubernetesClient writes every time with its fraction, so the fake drops the fraction of
/// the <c>metav1.Time</c> fields a client reads back.
/// </summary>
internal static class TimePrecision
{
    /// <summary>The <c>metav1.Time</c> fields of every kind.</summary>
    public static readonly IReadOnlyList<string> MetadataTimes = ["metadata.creationTimestamp", "metadata.deletionTimestamp"];

    /// <summary>Truncates to whole seconds the times at <paramref name="paths"/> (fields joined by '.', <c>[]</c> for every item of a list).</summary>
    public static void TruncateToSeconds(JsonObject json, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            Truncate(json, path.Split('.'));
        }
    }

    private static void Truncate(JsonNode? node, ReadOnlySpan<string> path)
    {
        if (node is not JsonObject json || path.IsEmpty)
        {
            return;
        }

        var field = path[0];
        if (field.EndsWith("[]", StringComparison.Ordinal))
        {
            foreach (var item in json[field[..^2]] as JsonArray ?? [])
            {
                Truncate(item, path[1..]);
            }
        }
        else if (path.Length > 1)
        {
            Truncate(json[field], path[1..]);
        }
        else if (json[field] is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            json[field] = JsonObjects.Timestamp(time);
        }
    }
}
