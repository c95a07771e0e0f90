namespace Scheduler.Core.Deferral;

/// <summary>What the controller is to do with a Job after a decision.</summary>
public abstract record DeferralAction
{
    private DeferralAction()
    {
    }

    /// <summary>Nothing to change: keep things as they are.</summary>
    /// <param name="Why">Why, for logs.</param>
    public sealed record Keep(string Why) : DeferralAction;

    /// <summary>Keep (or put) the Job on hold under <paramref name="Record"/>; wake up at its start and at its latest start.</summary>
    public sealed record Hold(DeferralRecord Record, bool Moved) : DeferralAction;

    /// <summary>Let the Job run now, in the record's plan's zone when one was chosen.</summary>
    public sealed record Release(DeferralRecord Record) : DeferralAction;

    /// <summary>Suspend a running interruptible Job until the next stretch of <paramref name="Record"/>'s plan.</summary>
    public sealed record Pause(DeferralRecord Record) : DeferralAction;

    /// <summary>Someone else let the Job run: record it, and stop waking up for it.</summary>
    public sealed record MarkReleased(string Reason) : DeferralAction;

    /// <summary>The Job finished: record it, and stop waking up for it.</summary>
    public sealed record Complete : DeferralAction;

    /// <summary>Tell the user, once, why the Job runs at once: its annotations are invalid.</summary>
    public sealed record ReportInvalid(IReadOnlyList<string> Errors) : DeferralAction;

    /// <summary>Record, without holding, what the plan would have been (dry run).</summary>
    public sealed record RecordDryRun(DeferralPlan Plan) : DeferralAction;
}
