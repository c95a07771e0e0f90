namespace Scheduler.Cli.Simulation;

/// <summary>
/// A <c>[ZONE=]FILE</c> argument: the zone before <c>=</c>, else the file's name without its
/// extension (<c>DE=ger.csv</c> and <c>DE.csv</c> both name zone DE).
/// </summary>
/// <param name="Zone">The grid zone.</param>
/// <param name="Path">The file.</param>
internal sealed record ZoneFile(string Zone, string Path)
{
    public static ZoneFile Parse(string option, string text)
    {
        // Only a prefix without a directory separator is a zone, so a path such as ./a=b/x.csv stays a path.
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && text.AsSpan(0, equals).IndexOfAny('/', '\\') < 0)
        {
            var zone = text[..equals].Trim();
            var path = text[(equals + 1)..];
            return path.Length > 0 ? new ZoneFile(zone, path) : throw new UsageException($"--{option} '{text}' names no file after '='");
        }

        if (text.Length == 0)
        {
            throw new UsageException($"--{option} needs a file");
        }

        return new ZoneFile(System.IO.Path.GetFileNameWithoutExtension(text), text);
    }

    /// <summary>Every argument of a repeated option, each zone once.</summary>
    public static List<ZoneFile> ParseAll(string option, IReadOnlyList<string> texts)
    {
        var files = new List<ZoneFile>(texts.Count);
        foreach (var text in texts)
        {
            var file = Parse(option, text);
            if (files.Find(f => f.Zone == file.Zone) is { } earlier)
            {
                throw new UsageException($"--{option}: zone {file.Zone} is given twice ({earlier.Path} and {file.Path}); name the zones with ZONE=FILE");
            }

            files.Add(file);
        }

        return files;
    }
}
