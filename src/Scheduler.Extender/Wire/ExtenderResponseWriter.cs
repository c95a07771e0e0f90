using System.Text.Json;
using Scheduler.Core.Scoring;

namespace Scheduler.Extender.Wire;

/// <summary>
/// Writes the extender answers exactly as kube-scheduler's Go types marshal them: PascalCase keys,
/// <c>null</c> for absent lists, and prioritize as a bare <c>HostPriorityList</c> array.
/// </summary>
internal static class ExtenderResponseWriter
{
    /// <summary>An <c>ExtenderFilterResult</c>. Full nodes are echoed byte for byte from the request when it sent full nodes.</summary>
    public static void WriteFilterResult(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> requestBody,
        ExtenderArgs args,
        IReadOnlyList<int> passed,
        IReadOnlyDictionary<string, string> failed,
        string error = "")
    {
        writer.WriteStartObject();
        if (args.NodeNames is null && args.Nodes is { } nodes)
        {
            writer.WriteStartObject("Nodes");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var index in passed)
            {
                var node = nodes[index];
                writer.WriteRawValue(requestBody.Slice(node.Start, node.Length), skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteNull("NodeNames");
        }
        else
        {
            writer.WriteNull("Nodes");
            writer.WriteStartArray("NodeNames");
            var names = args.NodeNames!;
            foreach (var index in passed)
            {
                writer.WriteStringValue(names[index]);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartObject("FailedNodes");
        foreach (var (node, reason) in failed)
        {
            writer.WriteString(node, reason);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("FailedAndUnresolvableNodes");
        writer.WriteEndObject();
        writer.WriteString("Error", error);
        writer.WriteEndObject();
    }

    /// <summary>A <c>HostPriorityList</c>: a bare array of <c>{"Host","Score"}</c>.</summary>
    public static void WriteHostPriorities(Utf8JsonWriter writer, IReadOnlyList<NodeScore> scores)
    {
        writer.WriteStartArray();
        foreach (var score in scores)
        {
            writer.WriteStartObject();
            writer.WriteString("Host", score.Host);
            writer.WriteNumber("Score", score.Score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
