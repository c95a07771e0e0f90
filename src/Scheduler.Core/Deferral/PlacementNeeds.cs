namespace Scheduler.Core.Deferral;

/// <summary>What a Job's pods need of a node, and the zones the Job allows: which nodes, hence which zones, could run it.</summary>
/// <param name="NodeSelector">The pod template's node selector: every label must match.</param>
/// <param name="RequiredTerms">The required node affinity terms (ORed), each a list of requirements (ANDed); empty means any node.</param>
/// <param name="Gpus">GPUs one pod requests.</param>
/// <param name="Zones">The zones the Job's <c>zones</c> annotation allows, in its order; empty means any.</param>
public sealed record PlacementNeeds(
    IReadOnlyDictionary<string, string> NodeSelector,
    IReadOnlyList<IReadOnlyList<NodeRequirement>> RequiredTerms,
    double Gpus,
    IReadOnlyList<string> Zones)
{
    /// <summary>Whether a node with <paramref name="labels"/> and <paramref name="allocatableGpus"/> could run one of the Job's pods.</summary>
    public bool Admits(IReadOnlyDictionary<string, string> labels, double allocatableGpus)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, value) in NodeSelector)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        if (RequiredTerms.Count > 0 && !RequiredTerms.Any(term => term.All(requirement => requirement.Matches(labels))))
        {
            return false;
        }

        return Gpus <= allocatableGpus;
    }
}
