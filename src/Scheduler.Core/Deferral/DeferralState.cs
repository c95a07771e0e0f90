namespace Scheduler.Core.Deferral;

/// <summary>Where a Job is in its deferral, as the <c>carbon-aware.io/state</c> annotation says.</summary>
public enum DeferralState
{
    /// <summary>No state written: not ours.</summary>
    None,

    /// <summary>Held by the scheduler until its planned start.</summary>
    Held,

    /// <summary>Suspended between two planned stretches (interruptible Jobs).</summary>
    Paused,

    /// <summary>Released: running, or free to run.</summary>
    Released,

    /// <summary>Finished.</summary>
    Completed,
}
