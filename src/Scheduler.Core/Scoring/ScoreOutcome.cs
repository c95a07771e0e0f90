namespace Scheduler.Core.Scoring;

/// <summary>How a node's score was reached.</summary>
public enum ScoreOutcome
{
    /// <summary>Scored from its expected grams.</summary>
    Scored,

    /// <summary>The node's grid zone is unknown: neutral score.</summary>
    ZoneUnknown,

    /// <summary>The zone is known but no intensity covers the pod's run: neutral score.</summary>
    NoIntensity,
}
