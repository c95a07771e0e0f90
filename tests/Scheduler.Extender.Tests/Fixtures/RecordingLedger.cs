using System.Collections.Concurrent;
using System.Globalization;
using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;

namespace Scheduler.Extender.Tests.Fixtures;

/// <summary>
/// An in-process ledger for the writer's tests: every write is tried on an <see cref="InMemoryLedger"/> (so reads
/// answer what was written), each attempt and each write that succeeded is listed in order as a short text
/// (<c>submission uid-1</c>, <c>samples ml/a:n1,n2</c>, ...), and a test can make attempts fail or hold them.
/// </summary>
internal sealed class RecordingLedger : ILedger
{
    private readonly InMemoryLedger _inner = new();

    /// <summary>Every write attempt, in order.</summary>
    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>Every write that succeeded, in order.</summary>
    public ConcurrentQueue<string> Written { get; } = new();

    /// <summary>Every read of actual intensities, in order, once answered: <c>actuals</c> and the zones asked for.</summary>
    public ConcurrentQueue<string> Reads { get; } = new();

    /// <summary>Decides, per attempt, whether it fails: the exception to throw, or <c>null</c>.</summary>
    public Func<string, Exception?>? Fail { get; set; }

    /// <summary>When set, every write waits for it before it goes on.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>The calls of the named kind that succeeded, e.g. <c>actuals</c>.</summary>
    public List<string> WrittenOf(string kind) => [.. Written.Where(w => w.StartsWith(kind + " ", StringComparison.Ordinal))];

    public Task RecordSubmissionAsync(LedgerSubmission submission, CancellationToken cancellationToken) =>
        WriteAsync($"submission {submission.Uid}", () => _inner.RecordSubmissionAsync(submission, cancellationToken));

    public Task RecordPlanAsync(LedgerPlan plan, CancellationToken cancellationToken) =>
        WriteAsync($"plan {plan.Uid}", () => _inner.RecordPlanAsync(plan, cancellationToken));

    public Task RecordRunStartAsync(string uid, DateTimeOffset start, string zone, string? node, CancellationToken cancellationToken) =>
        WriteAsync($"runstart {uid}", () => _inner.RecordRunStartAsync(uid, start, zone, node, cancellationToken));

    public Task RecordRunEndAsync(string uid, DateTimeOffset endedAt, CancellationToken cancellationToken) =>
        WriteAsync($"runend {uid}", () => _inner.RecordRunEndAsync(uid, endedAt, cancellationToken));

    public Task RecordCompletionAsync(LedgerCompletion completion, CancellationToken cancellationToken) =>
        WriteAsync($"completion {completion.Uid}", () => _inner.RecordCompletionAsync(completion, cancellationToken));

    public Task RecordActualsAsync(IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken) =>
        WriteAsync($"actuals {Describe(points)}", () => _inner.RecordActualsAsync(points, cancellationToken));

    public Task RecordForecastAsync(DateTimeOffset issued, IReadOnlyList<IntensityPoint> points, CancellationToken cancellationToken) =>
        WriteAsync($"forecast {issued:O} {Describe(points)}", () => _inner.RecordForecastAsync(issued, points, cancellationToken));

    public Task RecordScoringSamplesAsync(IReadOnlyList<ScoringSample> samples, CancellationToken cancellationToken) =>
        WriteAsync(
            "samples " + string.Join(' ', samples.GroupBy(s => $"{s.Namespace}/{s.Pod}").Select(g => $"{g.Key}:{string.Join(',', g.Select(s => s.Node))}")),
            () => _inner.RecordScoringSamplesAsync(samples, cancellationToken));

    public IAsyncEnumerable<LedgerEntry> ReadEntriesAsync(LedgerQuery query, CancellationToken cancellationToken) => _inner.ReadEntriesAsync(query, cancellationToken);

    public Task<LedgerEntry?> FindEntryAsync(string jobNamespace, string name, CancellationToken cancellationToken) => _inner.FindEntryAsync(jobNamespace, name, cancellationToken);

    public Task<IReadOnlyList<LedgerPlan>> ReadPlansAsync(string uid, CancellationToken cancellationToken) => _inner.ReadPlansAsync(uid, cancellationToken);

    public Task<IReadOnlyList<IntensityPoint>> ReadActualsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        // Listed once read (the in-memory ledger answers at once), so a test that sees it knows what it answered.
        var read = _inner.ReadActualsAsync(zones, from, until, cancellationToken);
        Reads.Enqueue($"actuals {string.Join('+', zones.Order(StringComparer.Ordinal))}");
        return read;
    }

    public Task<IReadOnlyList<IntensityPoint>> ReadForecastsAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset until, TimeSpan ahead, CancellationToken cancellationToken) =>
        _inner.ReadForecastsAsync(zones, from, until, ahead, cancellationToken);

    public Task<IReadOnlyList<IntensityPoint>> ReadForecastIssuedByAsync(IReadOnlyCollection<string> zones, DateTimeOffset issuedBy, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
        _inner.ReadForecastIssuedByAsync(zones, issuedBy, from, until, cancellationToken);

    public Task<IReadOnlyList<ScoringSample>> ReadScoringSamplesAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        _inner.ReadScoringSamplesAsync(from, until, limit, cancellationToken);

    // "DE 2026-01-14T15:00Z..2026-01-14T17:00Z (3)": the zones, the first and last step, and how many points.
    private static string Describe(IReadOnlyList<IntensityPoint> points) =>
        points.Count == 0
            ? "(0)"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{string.Join('+', points.Select(p => p.Zone).Distinct())} {points.Min(p => p.At):yyyy-MM-ddTHH:mmZ}..{points.Max(p => p.At):yyyy-MM-ddTHH:mmZ} ({points.Count})");

    private async Task WriteAsync(string call, Func<Task> write)
    {
        Attempts.Enqueue(call);
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        if (Fail?.Invoke(call) is { } failure)
        {
            throw failure;
        }

        await write();
        Written.Enqueue(call);
    }
}
