using System.Text.RegularExpressions;

namespace Scheduler.Deploy.Tests.Docker;

/// <summary>A Dockerfile read into its stages and instructions (continuation lines joined, comments dropped).</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    /// <summary>The build stages in order.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage the image is made of: the last.</summary>
    public Stage Final => Stages[^1];

    /// <summary>One instruction: its keyword in upper case and its arguments as written.</summary>
    public sealed record Instruction(string Keyword, string Arguments);

    /// <summary>A stage: its base image, its name and its instructions after FROM.</summary>
    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        /// <summary>The instructions with <paramref name="keyword"/>.</summary>
        public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
    }

    /// <summary>Reads <paramref name="text"/>.</summary>
    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var pending = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = string.Empty;
            if (full.Length > 0)
            {
                var space = full.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add(new Instruction(full[..space].ToUpperInvariant(), Spaces().Replace(full[(space + 1)..].Trim(), " ")));
            }
        }

        var stages = new List<Stage>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var match = From().Match(instruction.Arguments);
                stages.Add(new Stage(match.Groups["image"].Value, match.Groups["name"].Success ? match.Groups["name"].Value : null, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1] = stages[^1] with { Instructions = [.. stages[^1].Instructions, instruction] };
            }
        }

        return new Dockerfile(stages);
    }

    [GeneratedRegex(@"^(?:--platform=\S+ )?(?<image>\S+)(?: AS (?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex From();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
