using System.Text;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>YAML documents as node trees: read, written back, copied, looked into and compared.</summary>
internal static class YamlTree
{
    /// <summary>Every non-empty document of <paramref name="text"/>, each a mapping.</summary>
    /// <exception cref="InvalidDataException">A document is not a mapping; the message names <paramref name="source"/>.</exception>
    public static IReadOnlyList<YamlMappingNode> Documents(string text, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break;
                default:
                    throw new InvalidDataException($"{source}: a document is a {document.RootNode.NodeType}, not a mapping.");
            }
        }

        return documents;
    }

    /// <summary>A document as YAML text.</summary>
    public static string ToText(YamlNode node)
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return builder.ToString();
    }

    /// <summary>A deep copy.</summary>
    public static YamlNode Clone(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new YamlMappingNode(mapping.Children.Select(pair => new KeyValuePair<YamlNode, YamlNode>(Clone(pair.Key), Clone(pair.Value)))),
        YamlSequenceNode sequence => new YamlSequenceNode(sequence.Children.Select(Clone)),
        YamlScalarNode scalar => new YamlScalarNode(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    /// <summary>The mapping's value at <paramref name="key"/>, or null.</summary>
    public static YamlNode? Get(this YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The scalar text at a path of keys, or null.</summary>
    public static string? Text(this YamlMappingNode mapping, params string[] path)
    {
        YamlNode? node = mapping;
        foreach (var key in path)
        {
            node = node is YamlMappingNode m ? m.Get(key) : null;
        }

        return (node as YamlScalarNode)?.Value;
    }

    /// <summary>The mapping at <paramref name="key"/>, added empty when missing.</summary>
    public static YamlMappingNode Child(this YamlMappingNode mapping, string key)
    {
        if (mapping.Get(key) is YamlMappingNode child)
        {
            return child;
        }

        child = [];
        mapping.Children[new YamlScalarNode(key)] = child;
        return child;
    }

    /// <summary>
    /// A canonical text of the tree for comparing documents: mappings by key, scalars by value (so quoting and
    /// layout do not count), and lists of named items ordered by name (kustomize may append merged items).
    /// </summary>
    public static string Canonical(YamlNode node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(YamlNode node, StringBuilder builder)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                builder.Append('{');
                foreach (var pair in mapping.Children.OrderBy(p => ((YamlScalarNode)p.Key).Value, StringComparer.Ordinal))
                {
                    builder.Append(((YamlScalarNode)pair.Key).Value).Append(':');
                    Write(pair.Value, builder);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case YamlSequenceNode sequence:
                builder.Append('[');
                var items = sequence.Children.ToList();
                if (items.Count > 0 && items.All(i => i is YamlMappingNode m && m.Text("name") is not null))
                {
                    items = [.. items.OrderBy(i => ((YamlMappingNode)i).Text("name"), StringComparer.Ordinal)];
                }

                foreach (var item in items)
                {
                    Write(item, builder);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case YamlScalarNode scalar:
                builder.Append('"').Append(scalar.Value).Append('"');
                break;
            default:
                throw new NotSupportedException($"YAML node {node.NodeType}");
        }
    }
}
