using System.Text.RegularExpressions;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A parsed <c>labelSelector</c> (<c>k8s.io/apimachinery/pkg/labels</c>): comma-separated requirements
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>,
/// <c>k&gt;n</c>, <c>k&lt;n</c>. As in Kubernetes, <c>!=</c> and <c>notin</c> also match objects without the label.
/// </summary>
internal sealed partial class LabelSelector
{
    /// <summary>The selector that matches everything.</summary>
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    /// <summary>Whether the selector selects everything.</summary>
    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses <paramref name="text"/>; throws an <see cref="ApiStatusException"/> (400) when it is not a selector.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector([.. SplitTerms(text).Select(ParseTerm)]);
    }

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        if (SetTerm().Match(term) is { Success: true } set)
        {
            var key = Key(set.Groups["key"].Value, term);
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        if (term.StartsWith('!'))
        {
            var key = Key(term[1..].Trim(), term);
            return labels => !labels.ContainsKey(key);
        }

        foreach (var op in new[] { "!=", "==", "=", ">", "<" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var key = Key(term[..at].Trim(), term);
            var value = term[(at + op.Length)..].Trim();
            return op switch
            {
                "!=" => labels => !labels.TryGetValue(key, out var v) || v != value,
                ">" or "<" when long.TryParse(value, out var bound) => labels =>
                    labels.TryGetValue(key, out var v) && long.TryParse(v, out var n) && (op == ">" ? n > bound : n < bound),
                ">" or "<" => throw Invalid(term),
                _ => labels => labels.TryGetValue(key, out var v) && v == value,
            };
        }

        var exists = Key(term, term);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string key, string term) => LabelKey().IsMatch(key) ? key : throw Invalid(term);

    private static ApiStatusException Invalid(string term) =>
        new(StatusResponses.BadRequest($"unable to parse requirement: {term}"));

    private static IEnumerable<string> SplitTerms(string text)
    {
        // Commas inside (a,b) belong to a set.
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        yield return text[start..].Trim();
    }

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();
}
