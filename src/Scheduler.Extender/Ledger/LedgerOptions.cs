using System.Globalization;

namespace Scheduler.Extender.Ledger;

/// <summary>
/// How the service records into the carbon ledger (configuration section <c>Ledger</c>; environment
/// <c>Ledger__QueueCapacity</c>, ...). Where the ledger lives is <c>Storage:ConnectionString</c>; how long a failed
/// write waits before it is tried again is <c>Storage:RetryIntervalSeconds</c>.
/// </summary>
public sealed class LedgerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Ledger";

    /// <summary>
    /// How many records may wait in memory for the ledger: one per Job fact, intensity point or scoring sample.
    /// Beyond it the oldest scoring samples are dropped first, then the oldest forecasts, then the oldest actuals;
    /// Job facts (submissions, plans, runs, completions) are never dropped. Default 100,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The sampling of <see cref="ScoringSampleEvery"/> when it is not set and the ledger is in PostgreSQL.</summary>
    public const int DefaultScoringSampleEvery = 20;

    /// <summary>
    /// One pod in every this many that <c>/prioritize</c> scores is recorded, with a sample per node; 0 records none.
    /// Default (not set): <see cref="DefaultScoringSampleEvery"/> (20) with PostgreSQL, and none with the in-memory
    /// ledger, which would keep every sample until the process ends (gigabytes an hour on a busy cluster) and which
    /// nothing reads them back from.
    /// </summary>
    public int? ScoringSampleEvery { get; set; }

    /// <summary>
    /// A zone's forecast that repeats the last one recorded (same source, same values on the steps both cover) is
    /// recorded again only after this many minutes, so that sources re-issued on every refresh (built-in profiles,
    /// files) do not fill the ledger with copies. Default 60; 0 records every issue.
    /// </summary>
    public int ForecastIntervalMinutes { get; set; } = 60;

    /// <summary>How long stopping the service waits for the queued records to be written, in seconds. Default 5.</summary>
    public int ShutdownFlushSeconds { get; set; } = 5;

    /// <summary>The sampling in effect: <see cref="ScoringSampleEvery"/>, or its default for where the ledger lives.</summary>
    /// <param name="usesDatabase">Whether the ledger is in PostgreSQL.</param>
    public int ScoringSampleEveryIn(bool usesDatabase) => ScoringSampleEvery ?? (usesDatabase ? DefaultScoringSampleEvery : 0);

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        AddRangeError(errors, nameof(QueueCapacity), QueueCapacity, 1_000, 10_000_000);
        if (ScoringSampleEvery is { } every)
        {
            AddRangeError(errors, nameof(ScoringSampleEvery), every, 0, 1_000_000);
        }

        AddRangeError(errors, nameof(ForecastIntervalMinutes), ForecastIntervalMinutes, 0, 24 * 60);
        AddRangeError(errors, nameof(ShutdownFlushSeconds), ShutdownFlushSeconds, 0, 300);
        return errors;
    }

    private static void AddRangeError(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} is {value}; it must be between {min} and {max}."));
        }
    }
}
