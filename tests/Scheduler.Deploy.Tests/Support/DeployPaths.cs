using Scheduler.Tests.Shared;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>Paths of <c>deploy/</c> and the files beside it that the tests read.</summary>
internal static class DeployPaths
{
    /// <summary>The <c>deploy/</c> folder.</summary>
    public static string Deploy { get; } = RepositoryPaths.InRepository("deploy");

    /// <summary>A path under <c>deploy/</c>.</summary>
    public static string In(params string[] parts) => Path.Combine([Deploy, .. parts]);

    /// <summary>The repository's README.</summary>
    public static string Readme { get; } = RepositoryPaths.InRepository("README.md");

    /// <summary>A path relative to <c>deploy/</c>, with '/' separators, for messages and test names.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Deploy, path).Replace('\\', '/');

    /// <summary>Every folder under <c>deploy/</c> with a <c>kustomization.yaml</c> of kind Kustomization (components are built through them).</summary>
    public static IReadOnlyList<string> Kustomizations() =>
        [.. Directory.EnumerateFiles(Deploy, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => !File.ReadAllText(file).Contains("kind: Component", StringComparison.Ordinal))
            .Select(file => Path.GetDirectoryName(file)!)
            .Order(StringComparer.Ordinal)];

    /// <summary>Every YAML file under <c>deploy/</c>.</summary>
    public static IReadOnlyList<string> YamlFiles() =>
        [.. Directory.EnumerateFiles(Deploy, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
