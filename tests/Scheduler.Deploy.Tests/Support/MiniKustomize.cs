using k8s;
using Scheduler.Deploy.Tests.Models;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>
/// The part of kustomize the manifests use, for machines without kustomize or kubectl: resources (files and
/// folders), components, ConfigMap generators (files, no name hash), strategic-merge patches from files
/// (lists merged by name, mountPath, containerPort or port) and the namespace. The kustomization itself is
/// loaded strictly into <see cref="KustomizationFile"/>, so a field this class does not apply fails instead of
/// being ignored. Where kustomize is installed, <c>RenderingTests</c> checks that both give the same objects.
/// </summary>
internal static class MiniKustomize
{
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "CustomResourceDefinition", "PriorityClass", "StorageClass",
        "PersistentVolume", "Node", "ClusterIssuer", "APIService",
    };

    private static readonly string[] MergeKeys = ["name", "mountPath", "containerPort", "port"];

    /// <summary>The objects the kustomization in <paramref name="directory"/> builds.</summary>
    public static IReadOnlyList<YamlMappingNode> Build(string directory)
    {
        var file = Read(directory, "Kustomization");
        var resources = new List<YamlMappingNode>();
        Accumulate(directory, file, resources);
        return resources;
    }

    private static void Accumulate(string directory, KustomizationFile file, List<YamlMappingNode> resources)
    {
        foreach (var entry in file.Resources)
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            if (Directory.Exists(path))
            {
                resources.AddRange(Build(path));
            }
            else
            {
                resources.AddRange(YamlTree.Documents(File.ReadAllText(path), path));
            }
        }

        foreach (var entry in file.Components)
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            Accumulate(path, Read(path, "Component"), resources);
        }

        foreach (var generator in file.ConfigMapGenerator)
        {
            resources.Add(ConfigMap(directory, generator, file.GeneratorOptions));
        }

        foreach (var patch in file.Patches)
        {
            var path = Path.Combine(directory, patch.Path ?? throw new InvalidDataException($"{directory}: a patch without path."));
            foreach (var document in YamlTree.Documents(File.ReadAllText(path), path))
            {
                var targets = resources.Where(r => Matches(r, document)).ToList();
                if (targets.Count != 1)
                {
                    throw new InvalidDataException($"{path}: the patch matches {targets.Count} objects, not one.");
                }

                Merge(targets[0], document);
            }
        }

        if (file.Namespace is { } ns)
        {
            foreach (var resource in resources.Where(r => !ClusterScoped.Contains(r.Text("kind") ?? string.Empty)))
            {
                resource.Child("metadata").Children[new YamlScalarNode("namespace")] = new YamlScalarNode(ns);
            }
        }
    }

    private static KustomizationFile Read(string directory, string kind)
    {
        var path = Path.Combine(directory, "kustomization.yaml");
        var file = KubernetesYaml.Deserialize<KustomizationFile>(File.ReadAllText(path), strict: true);
        return file.Kind == kind ? file : throw new InvalidDataException($"{path}: kind {file.Kind}, expected {kind}.");
    }

    private static YamlMappingNode ConfigMap(string directory, KustomizationFile.ConfigMapGeneratorEntry generator, KustomizationFile.GeneratorOptionsEntry? common)
    {
        if ((generator.Options?.DisableNameSuffixHash ?? common?.DisableNameSuffixHash) != true)
        {
            throw new NotSupportedException($"{directory}: ConfigMap {generator.Name} would get kustomize's name hash, which this resolver does not compute.");
        }

        var metadata = new YamlMappingNode { { "name", generator.Name! } };
        if (generator.Namespace is { } ns)
        {
            metadata.Add("namespace", ns);
        }

        foreach (var (key, values) in new[] { ("labels", Union(common?.Labels, generator.Options?.Labels)), ("annotations", Union(common?.Annotations, generator.Options?.Annotations)) })
        {
            if (values.Count > 0)
            {
                metadata.Add(key, new YamlMappingNode(values.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), new YamlScalarNode(p.Value)))));
            }
        }

        var data = new YamlMappingNode();
        foreach (var entry in generator.Files)
        {
            var (key, file) = entry.Split('=') is [var k, var f] ? (k, f) : (Path.GetFileName(entry), entry);
            data.Add(key, File.ReadAllText(Path.Combine(directory, file)));
        }

        return new YamlMappingNode { { "apiVersion", "v1" }, { "kind", "ConfigMap" }, { "metadata", metadata }, { "data", data } };
    }

    private static Dictionary<string, string> Union(Dictionary<string, string>? first, Dictionary<string, string>? second)
    {
        var union = new Dictionary<string, string>(first ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in second ?? [])
        {
            union[key] = value;
        }

        return union;
    }

    private static bool Matches(YamlMappingNode resource, YamlMappingNode patch) =>
        resource.Text("kind") == patch.Text("kind")
        && resource.Text("metadata", "name") == patch.Text("metadata", "name")
        && (patch.Text("metadata", "namespace") is not { } ns || resource.Text("metadata", "namespace") == ns);

    private static void Merge(YamlMappingNode target, YamlMappingNode patch)
    {
        foreach (var (key, value) in patch.Children)
        {
            var existing = target.Children.TryGetValue(key, out var found) ? found : null;
            switch (value)
            {
                case YamlMappingNode mapping when existing is YamlMappingNode into:
                    Merge(into, mapping);
                    break;
                case YamlSequenceNode sequence when existing is YamlSequenceNode into && MergeKey(into, sequence) is { } mergeKey:
                    foreach (var item in sequence.Children.Cast<YamlMappingNode>())
                    {
                        var match = into.Children.Cast<YamlMappingNode>().FirstOrDefault(i => i.Text(mergeKey) == item.Text(mergeKey));
                        if (match is null)
                        {
                            into.Add(YamlTree.Clone(item));
                        }
                        else
                        {
                            Merge(match, item);
                        }
                    }

                    break;
                default:
                    target.Children[key] = YamlTree.Clone(value);
                    break;
            }
        }
    }

    private static string? MergeKey(YamlSequenceNode target, YamlSequenceNode patch)
    {
        var items = target.Children.Concat(patch.Children).ToList();
        return items.All(i => i is YamlMappingNode)
            ? MergeKeys.FirstOrDefault(key => items.All(i => ((YamlMappingNode)i).Text(key) is not null))
            : null;
    }
}
