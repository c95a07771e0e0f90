namespace Scheduler.Signals.Secrets;

/// <summary>A secret file that could not be used, with why; the message names the file, never its content.</summary>
public sealed class SecretFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretFileException(SecretFileProblem problem, string path, Exception? inner)
        : base(inner is null ? $"the secret file {path} is {problem.ToString().ToLowerInvariant()}" : $"the secret file {path} cannot be read: {inner.Message}", inner)
    {
        Problem = problem;
        Path = path;
    }

    /// <summary>Why the file could not be used.</summary>
    public SecretFileProblem Problem { get; }

    /// <summary>The file.</summary>
    public string Path { get; }
}
