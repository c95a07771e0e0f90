using System.Reflection;
using k8s;
using k8s.Models;
using Scheduler.Deploy.Tests.Models;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>
/// Loads manifests into typed models with strict field checking: the Kubernetes client's models for the
/// built-in kinds, and the test's own models (<see cref="Models"/>) for kustomize, Prometheus Operator,
/// cert-manager and kube-scheduler kinds. An unknown or misspelt field, or a kind without a model, fails.
/// </summary>
internal static class ManifestLoader
{
    private static readonly Dictionary<string, Type> Custom = new(StringComparer.Ordinal)
    {
        ["kustomize.config.k8s.io/v1beta1/Kustomization"] = typeof(KustomizationFile),
        ["kustomize.config.k8s.io/v1alpha1/Component"] = typeof(KustomizationFile),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["cert-manager.io/v1/Issuer"] = typeof(Issuer),
        ["kubescheduler.config.k8s.io/v1/KubeSchedulerConfiguration"] = typeof(KubeSchedulerConfiguration),
    };

    /// <summary>apiVersion/kind to model type: every kind of the Kubernetes client, and the custom ones.</summary>
    public static IReadOnlyDictionary<string, Type> Types { get; } = BuildTypes();

    /// <summary>Every document of <paramref name="text"/>, loaded strictly.</summary>
    public static IReadOnlyList<Manifest> Load(string text, string source) =>
        [.. YamlTree.Documents(text, source).Select(document => Load(document, source))];

    /// <summary>One document, loaded strictly.</summary>
    /// <exception cref="InvalidDataException">No model for its kind, or a field the model does not have; the message names <paramref name="source"/>.</exception>
    public static Manifest Load(YamlMappingNode document, string source)
    {
        var apiVersion = document.Text("apiVersion") ?? throw new InvalidDataException($"{source}: a document without apiVersion.");
        var kind = document.Text("kind") ?? throw new InvalidDataException($"{source}: a document without kind.");
        if (!Types.TryGetValue($"{apiVersion}/{kind}", out var type))
        {
            throw new InvalidDataException($"{source}: no model for {apiVersion} {kind}.");
        }

        object value;
        try
        {
            var map = new Dictionary<string, Type> { [$"{apiVersion}/{kind}"] = type };
            value = KubernetesYaml.LoadAllFromString(YamlTree.ToText(document), map, strict: true).Single();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{source}: {kind} {document.Text("metadata", "name")}: {e.Message} {e.InnerException?.Message}", e);
        }

        return new Manifest(source, apiVersion, kind, document, value);
    }

    private static Dictionary<string, Type> BuildTypes()
    {
        var types = new Dictionary<string, Type>(Custom, StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity)
            {
                var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
                types.TryAdd($"{apiVersion}/{kind}", type);
            }
        }

        return types;
    }
}
