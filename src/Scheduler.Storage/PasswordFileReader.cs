namespace Scheduler.Storage;

/// <summary>Reads the database password from a mounted secret file; messages name the file, never its content.</summary>
internal static class PasswordFileReader
{
    /// <summary>The password in <paramref name="path"/>, without the line break an editor or <c>echo</c> leaves at the end.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable or empty.</exception>
    public static string Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"{StorageOptions.SectionName}:PasswordFile '{path}' does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{StorageOptions.SectionName}:PasswordFile '{path}' cannot be read ({e.GetType().Name}).", e);
        }

        // Only line breaks are trimmed: spaces at either end may be part of a generated password.
        var password = text.TrimEnd('\r', '\n');
        return password.Length > 0
            ? password
            : throw new InvalidOperationException($"{StorageOptions.SectionName}:PasswordFile '{path}' is empty.");
    }
}
