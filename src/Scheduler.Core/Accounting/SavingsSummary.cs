namespace Scheduler.Core.Accounting;

/// <summary>What a savings report says: totals over the period, by namespace, by team and over time, and the Jobs that saved most.</summary>
/// <param name="From">The start of the period.</param>
/// <param name="Until">The end of the period (exclusive).</param>
/// <param name="BucketLength">The length of the stretches the period is cut into.</param>
/// <param name="Total">All Jobs.</param>
/// <param name="ByNamespace">By namespace, in name order.</param>
/// <param name="ByTeam">By team, in name order (Jobs without a team under the empty name).</param>
/// <param name="Buckets">By stretch and namespace, in time order.</param>
/// <param name="TopJobs">The accounted Jobs with the largest net saving, largest first.</param>
/// <param name="FilledIntensitySteps">Per zone, the intensity steps that had no record and carried the previous value.</param>
public sealed record SavingsSummary(
    DateTimeOffset From,
    DateTimeOffset Until,
    TimeSpan BucketLength,
    SavingsTotals Total,
    IReadOnlyDictionary<string, SavingsTotals> ByNamespace,
    IReadOnlyDictionary<string, SavingsTotals> ByTeam,
    IReadOnlyList<SavingsBucket> Buckets,
    IReadOnlyList<JobEmissions> TopJobs,
    IReadOnlyDictionary<string, int> FilledIntensitySteps);
