namespace Scheduler.Cli.Tests;

/// <summary>A temporary folder for a test's input and output files, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("carbon-cli-");

    public string Path => _directory.FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
