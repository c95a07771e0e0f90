namespace Scheduler.Tests.Shared;

/// <summary>Locates the repository and the shared reference data beside it, from a test's output folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Scheduler.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path in the repository.</summary>
    public static string InRepository(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path in <c>../shared/data</c>, the reference data kept beside the repository.</summary>
    public static string SharedData(params string[] parts)
    {
        var path = Path.Combine([Root, "..", "shared", "data", .. parts]);
        return File.Exists(path) || Directory.Exists(path)
            ? Path.GetFullPath(path)
            : throw new FileNotFoundException($"Reference data {path} is missing; the shared/ folder must sit beside the repository.", path);
    }

    /// <summary>A path in <c>../shared/docs/reference</c>, the research notes kept beside the repository.</summary>
    public static string SharedReference(params string[] parts)
    {
        var path = Path.Combine([Root, "..", "shared", "docs", "reference", .. parts]);
        return File.Exists(path) || Directory.Exists(path)
            ? Path.GetFullPath(path)
            : throw new FileNotFoundException($"Reference notes {path} are missing; the shared/ folder must sit beside the repository.", path);
    }
}
