namespace Scheduler.Core.Accounting;

/// <summary>
/// Where the deferral controller records the facts of the Jobs it handles, for the carbon ledger. Every call
/// returns at once and never throws: the facts are written in the background (a decision never waits for the
/// database), and each write is idempotent, so the same fact recorded again (after a restart, or by another
/// replica) counts once.
/// </summary>
public interface IJobLedger
{
    /// <summary>Records a Job when the controller first acts on it.</summary>
    void RecordSubmission(LedgerSubmission submission);

    /// <summary>Records a plan made for a Job.</summary>
    void RecordPlan(LedgerPlan plan);

    /// <summary>Records that a Job was let run (or resumed).</summary>
    void RecordRunStart(string uid, DateTimeOffset start, string zone, string? node);

    /// <summary>Records that a Job's run stopped (it was paused).</summary>
    void RecordRunEnd(string uid, DateTimeOffset endedAt);

    /// <summary>Records how a Job ended, with its energy; it also ends its open run.</summary>
    void RecordCompletion(LedgerCompletion completion);
}
