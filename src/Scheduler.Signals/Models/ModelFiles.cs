using System.Reflection;
using System.Text.Json;

namespace Scheduler.Signals.Models;

/// <summary>
/// Opens the data files of <c>models/</c>: from a directory when one is configured (to try new
/// models without a rebuild), else from the copies embedded in this assembly at build time.
/// </summary>
public sealed class ModelFiles(string? directory = null)
{
    private static readonly Assembly Assembly = typeof(ModelFiles).Assembly;

    /// <summary>The directory read instead of the embedded copies, or <c>null</c>.</summary>
    public string? Directory { get; } = string.IsNullOrWhiteSpace(directory) ? null : directory;

    /// <summary>Opens <paramref name="relativePath"/> (e.g. <c>hardware-power.json</c>).</summary>
    /// <exception cref="FileNotFoundException">No such model file.</exception>
    public Stream Open(string relativePath)
    {
        if (Directory is not null)
        {
            return File.OpenRead(Path.Combine(Directory, relativePath));
        }

        return Assembly.GetManifestResourceStream("models/" + relativePath.Replace('\\', '/'))
            ?? throw new FileNotFoundException($"The model file '{relativePath}' is not embedded in {Assembly.GetName().Name}.", relativePath);
    }

    /// <summary>Reads <paramref name="relativePath"/> as JSON; <c>null</c> for a file holding <c>null</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON for <typeparamref name="T"/>; the message names the file.</exception>
    public T? ReadJson<T>(string relativePath)
    {
        using var stream = Open(relativePath);
        try
        {
            return JsonSerializer.Deserialize<T>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"models/{relativePath}: {e.Message}", e);
        }
    }

    /// <summary>The model files under <paramref name="folder"/> (e.g. <c>carbon-profiles</c>), as relative paths.</summary>
    public IReadOnlyList<string> List(string folder)
    {
        if (Directory is not null)
        {
            var root = Path.Combine(Directory, folder);
            return System.IO.Directory.Exists(root)
                ? System.IO.Directory.GetFiles(root, "*.json").Select(f => folder + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
                : [];
        }

        var prefix = "models/" + folder + "/";
        return Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n["models/".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
