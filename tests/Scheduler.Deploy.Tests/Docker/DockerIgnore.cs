using System.Text.RegularExpressions;

namespace Scheduler.Deploy.Tests.Docker;

/// <summary>The patterns of a <c>.dockerignore</c> (without '!' exceptions, which it does not use).</summary>
internal sealed class DockerIgnore(IReadOnlyList<string> patterns)
{
    private readonly List<Regex> _patterns = [.. patterns.Select(ToRegex)];

    /// <summary>The patterns of <paramref name="text"/>.</summary>
    public static DockerIgnore Parse(string text) =>
        new([.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))]);

    /// <summary>Whether the build context leaves out <paramref name="path"/> (relative, '/' separators) or a folder above it.</summary>
    public bool Excludes(string path)
    {
        var parts = path.Trim('/').Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            if (_patterns.Any(p => p.IsMatch(prefix)))
            {
                return true;
            }
        }

        return false;
    }

    private static Regex ToRegex(string pattern)
    {
        if (pattern.StartsWith('!'))
        {
            throw new NotSupportedException($".dockerignore exception '{pattern}'");
        }

        var body = Regex.Escape(pattern.Trim('/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{body}$", RegexOptions.CultureInvariant);
    }
}
