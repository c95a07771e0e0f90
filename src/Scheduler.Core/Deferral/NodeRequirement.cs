namespace Scheduler.Core.Deferral;

/// <summary>One match expression of a required node affinity term, as Kubernetes writes it.</summary>
/// <param name="Key">The node label key.</param>
/// <param name="Operator"><c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, <c>Gt</c> or <c>Lt</c>.</param>
/// <param name="Values">The values the operator compares with.</param>
public sealed record NodeRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether a node with <paramref name="labels"/> meets the requirement; an unknown operator never matches.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "In" => has && Values.Contains(value!, StringComparer.Ordinal),
            "NotIn" => !has || !Values.Contains(value!, StringComparer.Ordinal),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && long.TryParse(value, out var above) && Values.Count == 1 && long.TryParse(Values[0], out var floor) && above > floor,
            "Lt" => has && long.TryParse(value, out var below) && Values.Count == 1 && long.TryParse(Values[0], out var ceiling) && below < ceiling,
            _ => false,
        };
    }
}
