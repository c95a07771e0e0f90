namespace Scheduler.Core.Accounting;

/// <summary>One namespace's totals over one stretch of the report's period (an hour, a day or a week).</summary>
/// <param name="Start">The start of the stretch.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Totals">Its Jobs that completed in the stretch.</param>
public sealed record SavingsBucket(DateTimeOffset Start, string Namespace, SavingsTotals Totals);
