using System.Text.RegularExpressions;
using Scheduler.Deploy.Tests.Support;
using Scheduler.Tests.Shared;

namespace Scheduler.Deploy.Tests.Manifests;

/// <summary>The README's Deployment section names only files and overlays that exist.</summary>
public partial class ReadmeTests
{
    [Fact]
    public void DeploymentSection_NamesOnlyPathsThatExist()
    {
        var text = string.Join('\n', ReadmeSections.Section("Deployment"));
        var paths = DeployPath().Matches(text).Select(m => m.Value.TrimEnd('/', '.', ',', ')', ':')).Distinct().ToList();

        Assert.Contains("deploy/overlays/default", paths);
        foreach (var path in paths)
        {
            var full = RepositoryPaths.InRepository(path.Split('/'));
            Assert.True(File.Exists(full) || Directory.Exists(full), $"README names {path}, which does not exist.");
        }
    }

    [Fact]
    public void DeploymentSection_ListsEveryOverlay()
    {
        var text = string.Join('\n', ReadmeSections.Section("Deployment"));

        foreach (var overlay in Directory.GetDirectories(DeployPaths.In("overlays")).Select(Path.GetFileName))
        {
            Assert.Contains($"`{overlay}`", text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"(?<![\w./-])deploy/[A-Za-z0-9_./-]+")]
    private static partial Regex DeployPath();
}
