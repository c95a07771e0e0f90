using System.Globalization;
using System.Text;

namespace Scheduler.Signals.Tests.Kepler.Fixtures;

/// <summary>
/// Writes the Prometheus text exposition format (0.0.4) as client_golang does: one <c># HELP</c>/<c># TYPE</c>
/// header per family, the family's samples contiguous, label names sorted, and no header for a family without samples.
/// </summary>
internal sealed class ExpositionWriter
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _samples = new();
    private string _family = string.Empty;
    private string _help = string.Empty;
    private string _type = string.Empty;

    /// <summary>Starts the family <paramref name="name"/> of type <paramref name="type"/> (<c>counter</c> or <c>gauge</c>).</summary>
    public void Family(string name, string type, string help)
    {
        Flush();
        _family = name;
        _type = type;
        _help = help;
    }

    /// <summary>Adds a sample of the current family.</summary>
    public void Sample(double value, params (string Name, string Value)[] labels)
    {
        _samples.Append(_family);
        AppendLabels(_samples, labels);
        _samples.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <inheritdoc />
    public override string ToString()
    {
        Flush();
        return _text.ToString();
    }

    /// <summary>A number as Prometheus parses it back to the same double.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Appends <c>{a="1",b="2"}</c> with the names sorted and the values escaped; nothing for no labels.</summary>
    public static void AppendLabels(StringBuilder text, (string Name, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return;
        }

        text.Append('{');
        var first = true;
        foreach (var (name, value) in labels.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(name).Append("=\"");
            foreach (var c in value)
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        text.Append('}');
    }

    private void Flush()
    {
        if (_samples.Length > 0)
        {
            _text.Append("# HELP ").Append(_family).Append(' ').Append(_help).Append('\n')
                .Append("# TYPE ").Append(_family).Append(' ').Append(_type).Append('\n')
                .Append(_samples);
            _samples.Clear();
        }
    }
}
