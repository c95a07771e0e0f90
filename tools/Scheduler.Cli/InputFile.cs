namespace Scheduler.Cli;

/// <summary>Opens a file named on the command line, turning a missing or unreadable one into a usage error that names the option.</summary>
internal static class InputFile
{
    public static StreamReader OpenText(string option, string path)
    {
        try
        {
            // A large buffer: the readers go through files of 100,000 lines and more.
            return new StreamReader(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 1 << 16 });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"--{option}: no file '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--{option}: cannot read '{path}': {e.Message}");
        }
    }
}
