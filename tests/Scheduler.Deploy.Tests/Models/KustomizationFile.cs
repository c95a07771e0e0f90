namespace Scheduler.Deploy.Tests.Models;

/// <summary>
/// A <c>kustomization.yaml</c> (kind Kustomization or Component), with the fields the manifests use. Loaded
/// strictly, so a misspelt field fails, and so does a field <see cref="Support.MiniKustomize"/> would not apply.
/// </summary>
public sealed class KustomizationFile
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<string> Components { get; set; } = [];

    public List<PatchEntry> Patches { get; set; } = [];

    public List<ConfigMapGeneratorEntry> ConfigMapGenerator { get; set; } = [];

    public GeneratorOptionsEntry? GeneratorOptions { get; set; }

    /// <summary>A strategic-merge patch from a file; the patch names its target.</summary>
    public sealed class PatchEntry
    {
        public string? Path { get; set; }
    }

    /// <summary>A ConfigMap made of files.</summary>
    public sealed class ConfigMapGeneratorEntry
    {
        public string? Name { get; set; }

        public string? Namespace { get; set; }

        public List<string> Files { get; set; } = [];

        public GeneratorOptionsEntry? Options { get; set; }
    }

    /// <summary>Labels, annotations and whether names get kustomize's content hash.</summary>
    public sealed class GeneratorOptionsEntry
    {
        public Dictionary<string, string> Labels { get; set; } = [];

        public Dictionary<string, string> Annotations { get; set; } = [];

        public bool? DisableNameSuffixHash { get; set; }
    }
}
