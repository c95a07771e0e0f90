namespace Scheduler.Core.Deferral;

/// <summary>How the deferral planner trades carbon against the deadline promise.</summary>
public sealed record DeferralSettings
{
    /// <summary>The run time of a Job without a <c>duration</c> annotation.</summary>
    public TimeSpan DefaultDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Kept free before the deadline: a Job is planned to finish this much earlier, for a slow start or a late duration estimate.</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A planned release moves only when the new plan is cleaner by at least this many percent, so forecast jitter does not reshuffle Jobs.</summary>
    public double MinimumImprovementPercent { get; init; } = 5;

    /// <summary>The shortest stretch an interruptible Job runs before it may be suspended again.</summary>
    public TimeSpan MinimumRun { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The most times an interruptible Job is suspended.</summary>
    public int MaxInterruptions { get; init; } = 4;
}
