namespace Scheduler.Core.Deferral;

/// <summary>What a Job's annotations ask of the scheduler: by when it must finish, how long it runs, and where it may go.</summary>
/// <param name="Submitted">When the Job was created: the start of the baseline.</param>
/// <param name="Deadline">When it must have finished.</param>
/// <param name="Duration">How long it is expected to run.</param>
/// <param name="Interruptible">Whether it may be suspended and resumed.</param>
/// <param name="Zones">The grid zones it may run in; empty means any zone its nodes are in.</param>
/// <param name="ReleaseNow">Whether the user asked for the Job to run at once.</param>
public sealed record DeferralRequest(
    DateTimeOffset Submitted,
    DateTimeOffset Deadline,
    TimeSpan Duration,
    bool Interruptible,
    IReadOnlyList<string> Zones,
    bool ReleaseNow);
