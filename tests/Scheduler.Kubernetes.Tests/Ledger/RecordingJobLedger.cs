using Scheduler.Core.Accounting;

namespace Scheduler.Kubernetes.Tests.Ledger;

/// <summary>
/// An <see cref="IJobLedger"/> that keeps every fact sent, in order, and can tell the rows an idempotent ledger
/// would keep of them (one per key: a submission per uid, a plan per uid and time, a run per uid and start, the
/// first completion per uid).
/// </summary>
internal sealed class RecordingJobLedger : IJobLedger
{
    private readonly Lock _gate = new();
    private readonly List<object> _facts = [];

    /// <summary>Every fact sent, in order: submissions, plans, completions, <see cref="RunStart"/>s and <see cref="RunEnd"/>s.</summary>
    public IReadOnlyList<object> Facts
    {
        get
        {
            lock (_gate)
            {
                return [.. _facts];
            }
        }
    }

    public IReadOnlyList<LedgerSubmission> Submissions => [.. Facts.OfType<LedgerSubmission>()];

    public IReadOnlyList<LedgerPlan> Plans => [.. Facts.OfType<LedgerPlan>()];

    public IReadOnlyList<RunStart> RunStarts => [.. Facts.OfType<RunStart>()];

    public IReadOnlyList<RunEnd> RunEnds => [.. Facts.OfType<RunEnd>()];

    public IReadOnlyList<LedgerCompletion> Completions => [.. Facts.OfType<LedgerCompletion>()];

    /// <summary>
    /// The rows a ledger keyed as the real ones would hold: the last submission of each uid, the first plan of each
    /// (uid, time), the first run start of each (uid, start), the first completion of each uid, and every run end.
    /// Two sets of facts that collapse into the same rows count the same.
    /// </summary>
    public IReadOnlyList<object> Rows()
    {
        var facts = Facts;
        var rows = new List<object>();
        rows.AddRange(facts.OfType<LedgerSubmission>().GroupBy(s => s.Uid).Select(g => Describe(g.Last())));
        rows.AddRange(facts.OfType<LedgerPlan>().DistinctBy(p => (p.Uid, p.At)));
        rows.AddRange(facts.OfType<RunStart>().DistinctBy(r => (r.Uid, r.Start)));
        rows.AddRange(facts.OfType<RunEnd>().Distinct());
        rows.AddRange(facts.OfType<LedgerCompletion>().DistinctBy(c => c.Uid));
        return rows;
    }

    public void RecordSubmission(LedgerSubmission submission) => Add(submission);

    public void RecordPlan(LedgerPlan plan) => Add(plan);

    public void RecordRunStart(string uid, DateTimeOffset start, string zone, string? node) => Add(new RunStart(uid, start, zone, node));

    public void RecordRunEnd(string uid, DateTimeOffset endedAt) => Add(new RunEnd(uid, endedAt));

    public void RecordCompletion(LedgerCompletion completion) => Add(completion);

    // A submission's zones are a list, which records compare by reference: described as text for comparison.
    private static string Describe(LedgerSubmission s) =>
        $"{s.Uid} {s.Kind} {s.Namespace}/{s.Name} team={s.Team} submitted={s.Submitted:O} deadline={s.Deadline:O} duration={s.ExpectedDuration} zones={string.Join(',', s.CandidateZones)} deferred={s.Deferred}";

    private void Add(object fact)
    {
        lock (_gate)
        {
            _facts.Add(fact);
        }
    }

    /// <summary>A run start as sent.</summary>
    public sealed record RunStart(string Uid, DateTimeOffset Start, string Zone, string? Node);

    /// <summary>A run end as sent.</summary>
    public sealed record RunEnd(string Uid, DateTimeOffset EndedAt);
}
