using System.Text;
using k8s;
using k8s.Models;

namespace Scheduler.Kubernetes.Nodes;

/// <summary>Reads a Kubernetes <c>NodeList</c> (JSON or YAML, e.g. <c>kubectl get nodes -o yaml</c>).</summary>
public static class NodeInventoryFile
{
    /// <summary>Reads the nodes of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a NodeList; the message says why.</exception>
    public static IReadOnlyList<NodeFacts> Read(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    /// <summary>Parses a NodeList from <paramref name="text"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a NodeList.</exception>
    public static IReadOnlyList<NodeFacts> Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        V1NodeList? list;
        try
        {
            list = text.TrimStart().StartsWith('{')
                ? KubernetesJson.Deserialize<V1NodeList>(text)
                : KubernetesYaml.Deserialize<V1NodeList>(text);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException or FormatException)
        {
            throw new InvalidDataException($"{sourceName}: not a NodeList: {e.Message}", e);
        }

        if (list?.Items is null)
        {
            throw new InvalidDataException($"{sourceName}: not a NodeList: no 'items'");
        }

        var nodes = new List<NodeFacts>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is not { Metadata.Name.Length: > 0 })
            {
                throw new InvalidDataException($"{sourceName}: items[{i}] has no metadata.name");
            }

            nodes.Add(list.Items[i].ToFacts());
        }

        return nodes;
    }
}
