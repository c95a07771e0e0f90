namespace Scheduler.Cli;

/// <summary>
/// The <c>--name value</c> options of one command, with clear errors for missing, unknown or
/// repeated ones. An option read with <see cref="All"/> may be given several times; one read with
/// <see cref="Required"/> or <see cref="Optional"/> only once.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CommandArguments()
    {
    }

    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var parsed = new CommandArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"--{name} needs a value");
                }

                value = args[++i];
            }

            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}; known: {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (!parsed._values.TryGetValue(name, out var values))
            {
                values = [];
                parsed._values[name] = values;
            }

            values.Add(value);
        }

        return parsed;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"--{name} is required");

    /// <summary>The option's value, or <c>null</c> when it is absent.</summary>
    /// <exception cref="UsageException">The option was given more than once, which would silently drop a value.</exception>
    public string? Optional(string name) => _values.GetValueOrDefault(name) switch
    {
        null => null,
        [var value] => value,
        var values => throw new UsageException($"--{name} may be given only once (given {values.Count} times)"),
    };

    /// <summary>Every value of an option that may be repeated, in the order given; empty when it is absent.</summary>
    public IReadOnlyList<string> All(string name) => _values.GetValueOrDefault(name) ?? (IReadOnlyList<string>)[];

    /// <summary>Whether the option was given at all.</summary>
    public bool Has(string name) => _values.ContainsKey(name);
}
