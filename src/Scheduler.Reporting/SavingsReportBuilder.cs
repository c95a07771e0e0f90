using Scheduler.Core.Accounting;
using Scheduler.Storage.Ledger;

namespace Scheduler.Reporting;

/// <summary>
/// Makes a savings report from the ledger: reads the recorded actual intensities of the period (and
/// of <see cref="SavingsReportRequest.Lookback"/> before it, for Jobs submitted before it), streams the
/// Jobs, accounts for each with <see cref="EmissionsAccountant"/>, hands each to the writer and adds it
/// to the summary. Memory holds the intensities and the totals, not the Jobs.
/// </summary>
public sealed class SavingsReportBuilder(ILedger ledger, TimeProvider time)
{
    /// <summary>How long before each step the forecast compared with its actual value was issued.</summary>
    public static readonly TimeSpan ForecastLead = TimeSpan.FromHours(12);

    /// <summary>Makes the report and writes it with <paramref name="writer"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public async Task<SavingsReport> WriteAsync(SavingsReportRequest request, ISavingsReportWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writer);
        if (request.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(request));
        }

        var actualPoints = await ledger.ReadActualsAsync([], request.From - SavingsReportRequest.Lookback, request.Until, cancellationToken).ConfigureAwait(false);
        var history = IntensityHistory.From(actualPoints);
        var builder = new SavingsSummaryBuilder(request.From, request.Until);
        var zonesRun = new SortedSet<string>(StringComparer.Ordinal);
        var query = new LedgerQuery(request.From, request.Until, request.Namespace, request.Team);
        await foreach (var entry in ledger.ReadEntriesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (request.Job is not null && !string.Equals(entry.Name, request.Job, StringComparison.Ordinal))
            {
                continue;
            }

            var account = EmissionsAccountant.Account(entry, history.Series);
            builder.Add(account);
            foreach (var run in entry.Runs)
            {
                zonesRun.Add(run.Zone);
            }

            await writer.WriteJobAsync(account, cancellationToken).ConfigureAwait(false);
        }

        var summary = builder.Build(history.FilledSteps);
        var zones = await TracesAsync(actualPoints, zonesRun, request, summary.BucketLength, cancellationToken).ConfigureAwait(false);
        var job = request.Job is null ? null : await JobDetailAsync(request, history, cancellationToken).ConfigureAwait(false);
        var report = new SavingsReport(request, time.GetUtcNow(), summary, AccountingAssumptions.For(summary), zones, job);
        await writer.CompleteAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<List<ZoneIntensityTrace>> TracesAsync(
        IReadOnlyList<IntensityPoint> actualPoints,
        IReadOnlyCollection<string> zones,
        SavingsReportRequest request,
        TimeSpan bucket,
        CancellationToken cancellationToken)
    {
        if (zones.Count == 0)
        {
            return [];
        }

        var forecastPoints = await ledger.ReadForecastsAsync(zones, request.From, request.Until, ForecastLead, cancellationToken).ConfigureAwait(false);
        return [.. zones.Select(zone => new ZoneIntensityTrace(
            zone,
            BucketMeans(actualPoints.Where(p => p.Zone == zone && p.At >= request.From && p.At < request.Until), request.From, bucket),
            BucketMeans(forecastPoints.Where(p => p.Zone == zone), request.From, bucket)))];
    }

    private async Task<JobDetail?> JobDetailAsync(SavingsReportRequest request, IntensityHistory history, CancellationToken cancellationToken)
    {
        if (await ledger.FindEntryAsync(request.Namespace!, request.Job!, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        var plans = await ledger.ReadPlansAsync(entry.Uid, cancellationToken).ConfigureAwait(false);
        var zones = entry.CandidateZones.Concat(entry.Runs.Select(r => r.Zone)).Distinct(StringComparer.Ordinal).ToList();
        var end = entry.Completed ?? (entry.Runs.Count > 0 ? entry.Runs[^1].End : (DateTimeOffset?)null) ?? time.GetUtcNow();
        var latest = plans.Count > 0 ? plans[^1].LatestStart : end;
        var until = (end > entry.Submitted ? (latest > end ? latest : end) : entry.Submitted + TimeSpan.FromDays(1)) + TimeSpan.FromHours(1);
        var actuals = await ledger.ReadActualsAsync(zones, entry.Submitted - TimeSpan.FromHours(1), until, cancellationToken).ConfigureAwait(false);

        // The forecast as the first plan saw it; without a plan, the one issued a lead ahead of each step.
        var forecasts = plans.Count > 0
            ? await ledger.ReadForecastIssuedByAsync(zones, plans[0].At, entry.Submitted, until, cancellationToken).ConfigureAwait(false)
            : await ledger.ReadForecastsAsync(zones, entry.Submitted, until, ForecastLead, cancellationToken).ConfigureAwait(false);
        return new JobDetail(EmissionsAccountant.Account(entry, history.Series), plans, actuals, forecasts);
    }

    private static List<(DateTimeOffset At, double GramsPerKwh)> BucketMeans(IEnumerable<IntensityPoint> points, DateTimeOffset from, TimeSpan bucket) =>
        [.. points
            .GroupBy(p => from + TimeSpan.FromTicks((p.At - from).Ticks / bucket.Ticks * bucket.Ticks))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Average(p => p.GramsPerKwh)))];
}
