using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Scheduler.Storage.Migrations;

/// <summary>The migrations embedded in this assembly (<c>Migrations/NNNN_name.sql</c>), in version order.</summary>
public static partial class MigrationCatalog
{
    private const string ResourcePrefix = "Migrations/";

    private static readonly Lazy<IReadOnlyList<Migration>> EmbeddedMigrations = new(Load);

    /// <summary>Every embedded migration, ordered by version.</summary>
    public static IReadOnlyList<Migration> Embedded => EmbeddedMigrations.Value;

    /// <summary>Checks that <paramref name="migrations"/> are numbered 1, 2, 3, ... without gaps or repeats.</summary>
    /// <exception cref="ArgumentException">A version is repeated or missing.</exception>
    public static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            // A gap usually means a file was renamed or lost in a merge; applying around it would leave
            // databases that differ by build, so it is refused before anything runs.
            if (ordered[i].Version != i + 1)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Migration versions must run 1, 2, 3, ... without gaps or repeats; found {string.Join(", ", ordered.Select(m => m.Id))}."),
                    nameof(migrations));
            }
        }

        return ordered;
    }

    private static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"The embedded migration '{fileName}' is not named NNNN_name.sql.");
            }

            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                ReadResource(assembly, resource)));
        }

        return Ordered(migrations);
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded migration '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
