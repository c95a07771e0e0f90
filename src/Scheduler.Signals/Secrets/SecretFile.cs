namespace Scheduler.Signals.Secrets;

/// <summary>
/// Reads a secret (API token, password) from a mounted file, trimmed. Read on every use by its
/// callers, so a rotated Kubernetes Secret is picked up without a restart; errors name the file,
/// never its content, and each caller words them for its own setting.
/// </summary>
public static class SecretFile
{
    /// <summary>The trimmed content of <paramref name="path"/>.</summary>
    /// <exception cref="SecretFileException">The file is missing, unreadable or empty.</exception>
    public static string Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretFileException(SecretFileProblem.Missing, path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretFileException(SecretFileProblem.Unreadable, path, e);
        }

        var secret = text.Trim();
        return secret.Length > 0 ? secret : throw new SecretFileException(SecretFileProblem.Empty, path, null);
    }
}
