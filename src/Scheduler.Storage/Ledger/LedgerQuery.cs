namespace Scheduler.Storage.Ledger;

/// <summary>Which ledger entries a report covers.</summary>
/// <param name="From">The start of the period (inclusive).</param>
/// <param name="To">The end of the period (exclusive).</param>
/// <param name="Namespace">Only this namespace, when given.</param>
/// <param name="Team">Only this team, when given.</param>
/// <remarks>
/// An entry is in the period when it completed in it, or when it was submitted in it and has not
/// completed yet (it is then reported as not yet accounted for).
/// </remarks>
public sealed record LedgerQuery(DateTimeOffset From, DateTimeOffset To, string? Namespace = null, string? Team = null);
