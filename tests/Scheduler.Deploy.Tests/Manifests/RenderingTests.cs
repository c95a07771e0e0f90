using Scheduler.Deploy.Tests.Support;

namespace Scheduler.Deploy.Tests.Manifests;

/// <summary>The resolver used where kustomize is missing builds exactly what kustomize builds.</summary>
public class RenderingTests
{
    public static TheoryData<string> Kustomizations() => [.. DeployPaths.Kustomizations().Select(DeployPaths.Relative)];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void MiniKustomize_BuildsWhatKustomizeBuilds(string directory)
    {
        var path = DeployPaths.In(directory);
        var ours = MiniKustomize.Build(path).ToDictionary(Key, YamlTree.Canonical);
        if (Kustomize.Command is not { } command)
        {
            // No kustomize here: the manifests are rendered by MiniKustomize alone (it must at least build them).
            Assert.NotEmpty(ours);
            return;
        }

        var theirs = Kustomize.WithTool(command, path).ToDictionary(Key, YamlTree.Canonical);

        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, canonical) in theirs)
        {
            Assert.True(canonical == ours[key], $"{key} differs:\nkustomize: {canonical}\nresolver:  {ours[key]}");
        }
    }

    private static string Key(YamlDotNet.RepresentationModel.YamlMappingNode document) =>
        $"{document.Text("apiVersion")}/{document.Text("kind")} {document.Text("metadata", "namespace")}/{document.Text("metadata", "name")}";
}
