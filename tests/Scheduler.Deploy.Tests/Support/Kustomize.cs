using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>
/// Renders a kustomization as the cluster would get it: with <c>kustomize build</c> or <c>kubectl kustomize</c>
/// when either is installed, otherwise with <see cref="MiniKustomize"/>; then loads every object strictly.
/// </summary>
internal static class Kustomize
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<Manifest>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The kustomize command found on PATH (program and leading arguments), or null.</summary>
    public static (string Program, string[] Arguments)? Command { get; } =
        ProcessRunner.Find("kustomize") is { } kustomize ? (kustomize, ["build"])
        : ProcessRunner.Find("kubectl") is { } kubectl ? (kubectl, ["kustomize"])
        : null;

    /// <summary>The objects of the kustomization in <paramref name="directory"/>, each loaded strictly.</summary>
    public static IReadOnlyList<Manifest> Render(string directory) =>
        Rendered.GetOrAdd(Path.GetFullPath(directory), dir =>
        {
            var source = $"kustomize {DeployPaths.Relative(dir)}";
            return [.. Documents(dir).Select(document => ManifestLoader.Load(document, source))];
        });

    /// <summary>The rendered documents, by the installed kustomize or else by <see cref="MiniKustomize"/>.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string directory) =>
        Command is { } command ? WithTool(command, directory) : MiniKustomize.Build(directory);

    /// <summary>The documents <c>kustomize build</c> (or <c>kubectl kustomize</c>) prints for <paramref name="directory"/>.</summary>
    public static IReadOnlyList<YamlMappingNode> WithTool((string Program, string[] Arguments) command, string directory)
    {
        var result = ProcessRunner.Run(command.Program, [.. command.Arguments, directory]);
        return result.ExitCode == 0
            ? YamlTree.Documents(result.StandardOutput, directory)
            : throw new InvalidDataException($"{command.Program} {string.Join(' ', command.Arguments)} {directory} failed: {result.Output}");
    }
}
