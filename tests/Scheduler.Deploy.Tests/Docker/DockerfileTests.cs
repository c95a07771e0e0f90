using System.Xml.Linq;
using Scheduler.Extender.Hosting;
using Scheduler.Tests.Shared;

namespace Scheduler.Deploy.Tests.Docker;

/// <summary>
/// The Dockerfile's structure, checked without Docker: a cached restore layer with every project the service
/// needs, a Release publish without the app host, and a runtime stage that runs as non-root with the service's
/// ports and its own health check.
/// </summary>
public class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Parse(System.IO.File.ReadAllText(RepositoryPaths.InRepository("Dockerfile")));

    private static readonly DockerIgnore Ignore = DockerIgnore.Parse(System.IO.File.ReadAllText(RepositoryPaths.InRepository(".dockerignore")));

    private static Dockerfile.Stage Build => File.Stages.Single(s => s.Name == "build");

    [Fact]
    public void Stages_BuildWithTheSdk_RunOnTheAspNetRuntime()
    {
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Build.Image, StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", File.Final.Image, StringComparison.Ordinal);
        Assert.Equal("runtime", File.Final.Name);
        Assert.Contains(File.Final.All("COPY"), c => c.Arguments.StartsWith("--from=build /app", StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_IsItsOwnLayer_FromEveryProjectTheServiceNeeds()
    {
        var instructions = Build.Instructions.ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var sources = instructions.FindIndex(i => i.Keyword == "COPY" && i.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
        var before = string.Join('\n', instructions.Take(restore).Where(i => i.Keyword == "COPY").Select(i => i.Arguments));

        Assert.InRange(restore, 0, sources - 1);
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }.Concat(Projects()))
        {
            Assert.Contains(file, before, StringComparison.Ordinal);
            Assert.True(System.IO.File.Exists(RepositoryPaths.InRepository(file)), $"{file} is copied but does not exist.");
            Assert.False(Ignore.Excludes(file), $".dockerignore leaves out {file}, which the Dockerfile copies.");
        }

        Assert.DoesNotContain(instructions.Take(restore), i => i.Keyword == "COPY" && i.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
    }

    [Fact]
    public void Publish_IsReleaseWithoutTheAppHost_FromTheRestoredPackages()
    {
        var publish = Build.All("RUN").Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;

        Assert.Contains("src/Scheduler.Extender/Scheduler.Extender.csproj", publish, StringComparison.Ordinal);
        Assert.Contains("-c Release", publish, StringComparison.Ordinal);
        Assert.Contains("--no-restore", publish, StringComparison.Ordinal);
        Assert.Matches("[-/]p:UseAppHost=false", publish);
        Assert.Contains("-o /app", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_RunsAsTheImagesNonRootUser_WithoutAShellStep()
    {
        var users = File.Final.All("USER").Select(u => u.Arguments).ToList();

        Assert.Equal(["$APP_UID"], users);
        Assert.Empty(File.Final.All("RUN"));
        var copies = File.Final.Instructions.Select((i, index) => (i, index)).Where(p => p.i.Keyword == "COPY").Max(p => p.index);
        Assert.True(File.Final.Instructions.ToList().FindIndex(i => i.Keyword == "USER") > copies, "USER comes after the files are copied in.");
    }

    [Fact]
    public void Runtime_ExposesTheServicesPorts_AndListensOnThem()
    {
        var exposed = File.Final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ')).ToList();
        var httpPort = new Uri(ExtenderApp.DefaultUrl).Port;

        Assert.Equal([httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), TlsOptions.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], exposed);
        Assert.Contains(File.Final.All("ENV"), e => e.Arguments.Contains($"ASPNETCORE_URLS=http://+:{httpPort}", StringComparison.Ordinal));
    }

    [Fact]
    public void HealthCheck_RunsTheServicesOwnProbe_OnItsHealthEndpoint()
    {
        var check = Assert.Single(File.Final.All("HEALTHCHECK")).Arguments;
        var httpPort = new Uri(ExtenderApp.DefaultUrl).Port;

        Assert.Contains($"CMD [\"dotnet\", \"Scheduler.Extender.dll\", \"{HealthProbe.Verb}\", \"http://127.0.0.1:{httpPort}/healthz\"]", check, StringComparison.Ordinal);
        Assert.Contains("/healthz", Support.AppRoutes.All);
        Assert.Equal("[\"dotnet\", \"Scheduler.Extender.dll\"]", Assert.Single(File.Final.All("ENTRYPOINT")).Arguments);
    }

    [Fact]
    public void DockerIgnore_LeavesOutBuildOutputTestsDocsAndGit()
    {
        foreach (var path in new[] { "src/Scheduler.Core/bin/Release/x.dll", "src/Scheduler.Core/obj/project.assets.json", "tests/Scheduler.Core.Tests/A.cs", "docs/benchmarks.md", ".git/HEAD" })
        {
            Assert.True(Ignore.Excludes(path), $".dockerignore keeps {path}");
        }

        foreach (var path in new[] { "src/Scheduler.Core/Scoring/NodeScorer.cs", "models/hardware-power.json", ".editorconfig" })
        {
            Assert.False(Ignore.Excludes(path), $".dockerignore leaves out {path}");
        }
    }

    /// <summary>Scheduler.Extender's project file and every project it references, directly or not, relative to the repository.</summary>
    private static IEnumerable<string> Projects()
    {
        var pending = new Stack<string>([RepositoryPaths.InRepository("src", "Scheduler.Extender", "Scheduler.Extender.csproj")]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(Path.GetFullPath(project)))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                pending.Push(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
            }
        }

        return seen.Select(p => Path.GetRelativePath(RepositoryPaths.Root, p).Replace('\\', '/')).Order(StringComparer.Ordinal);
    }
}
