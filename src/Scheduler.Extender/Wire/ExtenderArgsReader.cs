using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Scheduler.Core.Pods;
using Scheduler.Kubernetes.Nodes;

namespace Scheduler.Extender.Wire;

/// <summary>
/// Reads <c>ExtenderArgs</c> in one forward pass over the request bytes, keeping only what scoring
/// needs and skipping the rest, so a request with thousands of full Node objects costs little more
/// than tokenising it. Keys are matched case-insensitively: kube-scheduler writes the extender
/// types in PascalCase (Go structs without JSON tags) and the Kubernetes objects in camelCase, and
/// Go's decoder itself accepts any casing.
/// </summary>
internal static class ExtenderArgsReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Reads a request body, keeping the node labels and resources of <see cref="NodeFields.Default"/>.</summary>
    /// <exception cref="ExtenderRequestException">The body is not valid <c>ExtenderArgs</c>; the message says where and why.</exception>
    public static ExtenderArgs Read(ReadOnlySpan<byte> body) => Read(body, NodeFields.Default);

    /// <summary>Reads a request body, keeping only the node labels and resources in <paramref name="fields"/>.</summary>
    /// <exception cref="ExtenderRequestException">The body is not valid <c>ExtenderArgs</c>; the message says where and why.</exception>
    public static ExtenderArgs Read(ReadOnlySpan<byte> body, NodeFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);

        // The reader checks UTF-8 only in the strings it decodes, and full nodes are echoed byte for
        // byte: without this, invalid UTF-8 in a skipped field would come back in the answer.
        if (!Utf8.IsValid(body))
        {
            throw new ExtenderRequestException($"The request body is not valid UTF-8 at byte {InvalidUtf8At(body)}.");
        }

        var reader = new Utf8JsonReader(body, Options);
        try
        {
            return ReadArgs(ref reader, fields);
        }
        catch (JsonException e)
        {
            throw new ExtenderRequestException($"The request body is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ExtenderRequestException($"The request body is not valid ExtenderArgs at byte {reader.TokenStartIndex}: {e.Message}", e);
        }
    }

    private static int InvalidUtf8At(ReadOnlySpan<byte> body)
    {
        var at = 0;
        while (at < body.Length && Rune.DecodeFromUtf8(body[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }

    private static ExtenderArgs ReadArgs(ref Utf8JsonReader reader, NodeFields fields)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ExtenderRequestException("The request body must be a JSON object (ExtenderArgs with Pod and Nodes or NodeNames).");
        }

        PodFacts? pod = null;
        List<WireNode>? nodes = null;
        List<string>? names = null;
        while (NextProperty(ref reader))
        {
            if (Is(ref reader, "Pod"))
            {
                reader.Read();
                pod = reader.TokenType == JsonTokenType.Null ? null : ReadPod(ref reader);
            }
            else if (Is(ref reader, "Nodes"))
            {
                reader.Read();
                nodes = reader.TokenType == JsonTokenType.Null ? null : ReadNodeList(ref reader, fields);
            }
            else if (Is(ref reader, "NodeNames"))
            {
                reader.Read();
                names = reader.TokenType == JsonTokenType.Null ? null : ReadStringArray(ref reader, "NodeNames");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (reader.Read())
        {
            throw new ExtenderRequestException($"Unexpected data after the ExtenderArgs object at byte {reader.TokenStartIndex}.");
        }

        if (pod is null)
        {
            throw new ExtenderRequestException("The request has no Pod.");
        }

        if (nodes is null && names is null)
        {
            throw new ExtenderRequestException("The request has neither Nodes nor NodeNames.");
        }

        return new ExtenderArgs(pod, nodes, names);
    }

    private static PodFacts ReadPod(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "Pod");
        string name = string.Empty, ns = string.Empty;
        IReadOnlyDictionary<string, string> annotations = Empty;
        IReadOnlyDictionary<string, string> overhead = Empty;
        IReadOnlyList<ContainerResources> containers = [], initContainers = [];
        while (NextProperty(ref reader))
        {
            if (Is(ref reader, "metadata"))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartObject, "Pod.metadata");
                while (NextProperty(ref reader))
                {
                    if (Is(ref reader, "name"))
                    {
                        name = ReadString(ref reader, "Pod.metadata.name") ?? string.Empty;
                    }
                    else if (Is(ref reader, "namespace"))
                    {
                        ns = ReadString(ref reader, "Pod.metadata.namespace") ?? string.Empty;
                    }
                    else if (Is(ref reader, "annotations"))
                    {
                        annotations = ReadStringMap(ref reader, "Pod.metadata.annotations");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (Is(ref reader, "spec"))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartObject, "Pod.spec");
                while (NextProperty(ref reader))
                {
                    if (Is(ref reader, "containers"))
                    {
                        containers = ReadContainers(ref reader, "Pod.spec.containers");
                    }
                    else if (Is(ref reader, "initContainers"))
                    {
                        initContainers = ReadContainers(ref reader, "Pod.spec.initContainers");
                    }
                    else if (Is(ref reader, "overhead"))
                    {
                        overhead = ReadStringMap(ref reader, "Pod.spec.overhead");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new PodFacts(name, ns, annotations, containers, initContainers, overhead);
    }

    private static List<ContainerResources> ReadContainers(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        var result = new List<ContainerResources>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return result;
        }

        Expect(ref reader, JsonTokenType.StartArray, path);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, path + "[]");
            var container = ContainerResources.None;
            while (NextProperty(ref reader))
            {
                if (!Is(ref reader, "resources"))
                {
                    SkipValue(ref reader);
                    continue;
                }

                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartObject, path + "[].resources");
                IReadOnlyDictionary<string, string> requests = Empty, limits = Empty;
                while (NextProperty(ref reader))
                {
                    if (Is(ref reader, "requests"))
                    {
                        requests = ReadStringMap(ref reader, path + "[].resources.requests");
                    }
                    else if (Is(ref reader, "limits"))
                    {
                        limits = ReadStringMap(ref reader, path + "[].resources.limits");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }

                container = new ContainerResources(requests, limits);
            }

            result.Add(container);
        }

        return result;
    }

    private static List<WireNode> ReadNodeList(ref Utf8JsonReader reader, NodeFields fields)
    {
        Expect(ref reader, JsonTokenType.StartObject, "Nodes");
        var nodes = new List<WireNode>();
        while (NextProperty(ref reader))
        {
            if (!Is(ref reader, "items"))
            {
                SkipValue(ref reader);
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray, "Nodes.items");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                var facts = ReadNode(ref reader, nodes.Count, fields);
                nodes.Add(new WireNode(facts, start, (int)reader.BytesConsumed - start));
            }
        }

        return nodes;
    }

    private static NodeFacts ReadNode(ref Utf8JsonReader reader, int index, NodeFields fields)
    {
        // Paths for error messages are built only when something is wrong: this runs for every node.
        ExpectNode(ref reader, JsonTokenType.StartObject, index, string.Empty);
        string? name = null;
        Dictionary<string, string>? labels = null, allocatable = null, capacity = null;
        while (NextProperty(ref reader))
        {
            if (Is(ref reader, "metadata"))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                ExpectNode(ref reader, JsonTokenType.StartObject, index, ".metadata");
                while (NextProperty(ref reader))
                {
                    if (Is(ref reader, "name"))
                    {
                        reader.Read();
                        name = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString(),
                            JsonTokenType.Null => null,
                            _ => throw new ExtenderRequestException($"Nodes.items[{index}].metadata.name must be a string, found {Describe(reader.TokenType)}."),
                        };
                    }
                    else if (Is(ref reader, "labels"))
                    {
                        labels = ReadSelected(ref reader, fields.Labels, index, ".metadata.labels");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (Is(ref reader, "status"))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                ExpectNode(ref reader, JsonTokenType.StartObject, index, ".status");
                while (NextProperty(ref reader))
                {
                    if (Is(ref reader, "allocatable"))
                    {
                        allocatable = ReadSelected(ref reader, fields.Resources, index, ".status.allocatable");
                    }
                    else if (Is(ref reader, "capacity"))
                    {
                        capacity = ReadSelected(ref reader, fields.Resources, index, ".status.capacity");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new ExtenderRequestException($"Nodes.items[{index}] has no metadata.name.");
        }

        return new NodeFacts(name, (IReadOnlyDictionary<string, string>?)labels ?? Empty, (IReadOnlyDictionary<string, string>?)(allocatable is { Count: > 0 } ? allocatable : capacity) ?? Empty);
    }

    /// <summary>Reads an object of strings, keeping only the keys in <paramref name="keep"/>; null when none is present.</summary>
    private static Dictionary<string, string>? ReadSelected(ref Utf8JsonReader reader, (string Name, byte[] Utf8)[] keep, int index, string where)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectNode(ref reader, JsonTokenType.StartObject, index, where);
        Dictionary<string, string>? kept = null;
        while (NextProperty(ref reader))
        {
            string? key = null;
            foreach (var (keepName, utf8) in keep)
            {
                if (reader.ValueTextEquals(utf8))
                {
                    key = keepName;
                    break;
                }
            }

            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.Null:
                    if (key is not null)
                    {
                        kept ??= new Dictionary<string, string>(StringComparer.Ordinal);
                        kept[key] = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString()!,
                            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                            _ => string.Empty,
                        };
                    }

                    break;
                default:
                    throw new ExtenderRequestException($"Nodes.items[{index}]{where}.{key ?? "(key)"} must be a string, found {Describe(reader.TokenType)}.");
            }
        }

        return kept;
    }

    private static void ExpectNode(ref Utf8JsonReader reader, JsonTokenType type, int index, string where)
    {
        if (reader.TokenType != type)
        {
            throw new ExtenderRequestException($"Nodes.items[{index}]{where} must be {Describe(type)}, found {Describe(reader.TokenType)} at byte {reader.TokenStartIndex}.");
        }
    }

    private static List<string> ReadStringArray(ref Utf8JsonReader reader, string path)
    {
        Expect(ref reader, JsonTokenType.StartArray, path);
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new ExtenderRequestException($"{path}[{values.Count}] must be a string, found {Describe(reader.TokenType)}.");
            }

            values.Add(reader.GetString()!);
        }

        return values;
    }

    private static Dictionary<string, string> ReadStringMap(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return map;
        }

        Expect(ref reader, JsonTokenType.StartObject, path);
        while (NextProperty(ref reader))
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,

                // Quantities are strings on the wire, but a hand-written request may send a number.
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.Null => string.Empty,
                _ => throw new ExtenderRequestException($"{path}.{key} must be a string, found {Describe(reader.TokenType)}."),
            };
        }

        return map;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new ExtenderRequestException($"{path} must be a string, found {Describe(reader.TokenType)}."),
        };
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new ExtenderRequestException("The request body ends in the middle of an object.");
        }

        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path)
    {
        if (reader.TokenType != type)
        {
            throw new ExtenderRequestException($"{path} must be {Describe(type)}, found {Describe(reader.TokenType)} at byte {reader.TokenStartIndex}.");
        }
    }

    private static bool Is(ref Utf8JsonReader reader, string name)
    {
        // Property names are ASCII here; compare without allocating, ignoring ASCII case.
        var span = reader.HasValueSequence || reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        if (span.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < span.Length; i++)
        {
            if ((span[i] | 0x20) != (name[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
