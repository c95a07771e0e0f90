using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Scheduler.Storage;

/// <summary>
/// Where durable state lives (configuration section <c>Storage</c>; environment <c>Storage__ConnectionString</c>,
/// <c>Storage__PasswordFile</c>, ...). Without a connection string everything stays in memory: the embedded default.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Storage";

    /// <summary>A PostgreSQL (Npgsql) connection string; absent: the in-memory store.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A file holding the database password (a mounted Kubernetes Secret). It replaces any password in
    /// <see cref="ConnectionString"/> and is read again each time the connection string is resolved.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>The Quartz scheduler name; every replica sharing the database must use the same one. Default <c>carbon-aware-scheduler</c>.</summary>
    public string SchedulerName { get; set; } = "carbon-aware-scheduler";

    /// <summary>This replica's Quartz instance id; <c>AUTO</c> (default) generates a unique one at each start.</summary>
    public string InstanceId { get; set; } = "AUTO";

    /// <summary>How often a replica records in the database that it is alive, in seconds. Default 10.</summary>
    public int ClusterCheckinIntervalSeconds { get; set; } = 10;

    /// <summary>How late a trigger may fire before its misfire instruction applies, in seconds. Default 60.</summary>
    public int MisfireThresholdSeconds { get; set; } = 60;

    /// <summary>How long Quartz waits before retrying after the database failed, in seconds. Default 15.</summary>
    public int RetryIntervalSeconds { get; set; } = 15;

    /// <summary>How long start-up waits for another replica that is migrating the schema, in seconds. Default 300.</summary>
    public int MigrationLockTimeoutSeconds { get; set; } = 300;

    /// <summary><c>true</c> when a connection string is configured, i.e. state is kept in PostgreSQL.</summary>
    public bool UsesDatabase => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>Binds the <c>Storage</c> section of <paramref name="configuration"/>.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StorageOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }

    /// <summary>
    /// The connection string to open, with the password from <see cref="PasswordFile"/> merged in; <c>null</c>
    /// when no database is configured. Never log the result: it may carry the password.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string does not parse, or the password file cannot be used.</exception>
    public string? ResolveConnectionString()
    {
        if (!UsesDatabase)
        {
            return null;
        }

        if (!ConnectionStrings.TryParse(ConnectionString!, out _, out var error))
        {
            throw new InvalidOperationException($"{SectionName}:ConnectionString is not a valid PostgreSQL connection string: {error}");
        }

        return string.IsNullOrWhiteSpace(PasswordFile)
            ? ConnectionString
            : ConnectionStrings.WithPassword(ConnectionString!, PasswordFileReader.Read(PasswordFile));
    }

    /// <summary>Every problem with these settings, one message per bad setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (UsesDatabase)
        {
            if (!ConnectionStrings.TryParse(ConnectionString!, out var builder, out var error))
            {
                errors.Add($"{SectionName}:ConnectionString is not a valid PostgreSQL connection string: {error}");
            }
            else if (string.IsNullOrWhiteSpace(builder.Host))
            {
                errors.Add($"{SectionName}:ConnectionString names no Host.");
            }

            if (!string.IsNullOrWhiteSpace(PasswordFile))
            {
                try
                {
                    _ = PasswordFileReader.Read(PasswordFile);
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e.Message);
                }
            }
        }
        else if (!string.IsNullOrWhiteSpace(PasswordFile))
        {
            errors.Add($"{SectionName}:PasswordFile is set but {SectionName}:ConnectionString is not; set both, or neither for the in-memory store.");
        }

        if (string.IsNullOrWhiteSpace(SchedulerName))
        {
            errors.Add($"{SectionName}:SchedulerName must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(InstanceId))
        {
            errors.Add($"{SectionName}:InstanceId must not be empty; use AUTO for a generated one.");
        }

        AddRangeError(errors, nameof(ClusterCheckinIntervalSeconds), ClusterCheckinIntervalSeconds, 1, 300);
        AddRangeError(errors, nameof(MisfireThresholdSeconds), MisfireThresholdSeconds, 1, 3600);
        AddRangeError(errors, nameof(RetryIntervalSeconds), RetryIntervalSeconds, 1, 600);
        AddRangeError(errors, nameof(MigrationLockTimeoutSeconds), MigrationLockTimeoutSeconds, 1, 3600);
        return errors;
    }

    /// <summary>The settings with the password masked: safe to log.</summary>
    public override string ToString()
    {
        var store = UsesDatabase
            ? $"PostgreSQL {ConnectionStrings.Describe(ConnectionString)}" + (string.IsNullOrWhiteSpace(PasswordFile) ? string.Empty : $" (password from {PasswordFile})")
            : "in memory";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Storage: {store}; scheduler {SchedulerName}, instance {InstanceId}, check-in {ClusterCheckinIntervalSeconds} s, misfire threshold {MisfireThresholdSeconds} s, retry {RetryIntervalSeconds} s");
    }

    private static void AddRangeError(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} is {value}; it must be between {min} and {max}."));
        }
    }
}
