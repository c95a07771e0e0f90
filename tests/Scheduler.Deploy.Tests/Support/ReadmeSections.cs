using System.Text.RegularExpressions;

namespace Scheduler.Deploy.Tests.Support;

/// <summary>Sections and tables of the README that the manifests must agree with.</summary>
internal static partial class ReadmeSections
{
    private static readonly Lazy<string[]> Lines = new(() => File.ReadAllLines(DeployPaths.Readme));

    /// <summary>The lines under the heading <paramref name="heading"/> (any level), up to the next heading of the same or a higher level.</summary>
    public static IReadOnlyList<string> Section(string heading)
    {
        var lines = Lines.Value;
        var start = Array.FindIndex(lines, l => HeadingText(l) == heading);
        Assert.True(start >= 0, $"README has no heading '{heading}'.");
        var level = lines[start].TakeWhile(c => c == '#').Count();
        var section = new List<string>();
        var fenced = false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            fenced ^= lines[i].StartsWith("```", StringComparison.Ordinal);
            if (!fenced && HeadingText(lines[i]) is not null && lines[i].TakeWhile(c => c == '#').Count() <= level)
            {
                break;
            }

            section.Add(lines[i]);
        }

        return section;
    }

    /// <summary>The rows of the first table in <paramref name="section"/>, each as its cells without the header row.</summary>
    public static IReadOnlyList<string[]> Table(IReadOnlyList<string> section)
    {
        var rows = section.SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        return [.. rows.Skip(2).Select(r => r.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())];
    }

    /// <summary>The metric names of the README's Metrics table.</summary>
    public static IReadOnlySet<string> MetricNames() =>
        Table(Section("Metrics")).Select(cells => cells[0].Trim('`')).ToHashSet(StringComparer.Ordinal);

    /// <summary>The words in backticks of a table cell, e.g. <c>`get`, `list`</c>.</summary>
    public static IReadOnlyList<string> Quoted(string cell) => [.. Backticked().Matches(cell).Select(m => m.Groups[1].Value)];

    private static string? HeadingText(string line)
    {
        var match = Heading().Match(line);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    [GeneratedRegex("^#{1,6} (.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Backticked();
}
