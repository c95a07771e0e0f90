namespace Scheduler.Storage.Migrations;

/// <summary>What one <see cref="MigrationRunner.ApplyAsync"/> did.</summary>
/// <param name="Applied">The migrations this run applied, in order; empty when the schema was already current.</param>
/// <param name="AlreadyApplied">How many of this build's migrations the database had before the run.</param>
/// <param name="Unknown">
/// Versions recorded in the database that this build does not have (e.g. <c>0003_ledger</c>), left alone: a newer
/// release has migrated the database, as happens during a rolling upgrade.
/// </param>
public sealed record MigrationResult(IReadOnlyList<Migration> Applied, int AlreadyApplied, IReadOnlyList<string> Unknown);
