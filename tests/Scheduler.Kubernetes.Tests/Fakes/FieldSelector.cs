using System.Text.Json.Nodes;

namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>
/// A parsed <c>fieldSelector</c>: comma-separated <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> over the field labels
/// the resource supports (<c>metadata.name</c>, <c>metadata.namespace</c> and the resource's own); any other
/// field is a 400, as in the API server.
/// </summary>
internal sealed class FieldSelector
{
    /// <summary>The selector that matches everything.</summary>
    public static readonly FieldSelector Everything = new([]);

    private static readonly FieldLabel MetadataName = new(["metadata", "name"]);
    private static readonly FieldLabel MetadataNamespace = new(["metadata", "namespace"]);

    private readonly IReadOnlyList<(FieldLabel Label, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(FieldLabel Label, bool Equal, string Value)> terms) => _terms = terms;

    /// <summary>Whether the selector selects everything.</summary>
    public bool IsEmpty => _terms.Count == 0;

    /// <summary>Parses <paramref name="text"/> for <paramref name="type"/>; throws an <see cref="ApiStatusException"/> (400) for an unsupported field.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(FieldLabel, bool, string)>();
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var equal = term.IndexOf('=', StringComparison.Ordinal);
            var (at, length) = notEqual >= 0 ? (notEqual, 2) : term.Contains("==", StringComparison.Ordinal) ? (equal, 2) : (equal, 1);
            if (at <= 0)
            {
                throw new ApiStatusException(StatusResponses.BadRequest($"invalid selector: '{text}'; can't understand '{term}'"));
            }

            var field = term[..at];
            var label = field switch
            {
                "metadata.name" => MetadataName,
                "metadata.namespace" => MetadataNamespace,
                _ => type.FieldLabels.GetValueOrDefault(field)
                    ?? throw new ApiStatusException(StatusResponses.BadRequest($"field label not supported: {field}")),
            };
            terms.Add((label, notEqual < 0, term[(at + length)..]));
        }

        return new FieldSelector(terms);
    }

    /// <summary>Whether the stored object <paramref name="json"/> satisfies every term.</summary>
    public bool Matches(JsonObject json) =>
        _terms.All(t => ((JsonObjects.StringAt(json, t.Label.Path) ?? t.Label.Default) == t.Value) == t.Equal);
}
