namespace Scheduler.Core.Accounting;

/// <summary>One node scoring decision of the extender, kept as a sample with its reasons.</summary>
/// <param name="At">When the pod was scored.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Node">The node scored.</param>
/// <param name="Zone">The node's zone, when known.</param>
/// <param name="Score">The score given, 0 to 10.</param>
/// <param name="Grams">The grams the pod was expected to cause there, when known.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ScoringSample(
    DateTimeOffset At,
    string Namespace,
    string Pod,
    string Node,
    string? Zone,
    int Score,
    double? Grams,
    string Reason);
