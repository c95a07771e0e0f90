using System.Collections.Specialized;
using System.Globalization;
using Quartz;

namespace Scheduler.Storage.Scheduling;

/// <summary>
/// Turns <see cref="StorageOptions"/> into Quartz's flat <c>quartz.*</c> properties: with a connection string, the
/// clustered ADO job store on PostgreSQL (tables <c>qrtz_*</c> from migration 0001); without one, the in-memory
/// store of the embedded default. A host passes them to <c>services.AddQuartz(properties, q =&gt; ...)</c>; anything
/// else uses <see cref="CreateSchedulerBuilder"/>.
/// </summary>
/// <remarks>
/// The property names and type names are those Quartz 4.7.3 reads (checked against its configuration bridge and
/// a running scheduler): in 4.x the ADO store that owns its transactions is <c>LocalTransactionJobStore</c>, the
/// 3.x <c>JobStoreTX</c>, and <c>RAMJobStore</c> moved to <c>Quartz.Impl</c>. Durations are bare milliseconds.
/// </remarks>
public static class QuartzStoreSettings
{
    /// <summary>The prefix of the Quartz tables that migration 0001 creates.</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The name of the Quartz data source the job store uses.</summary>
    public const string DataSourceName = "default";

    /// <summary>The ADO job store type.</summary>
    public const string PersistentJobStoreType = "Quartz.Impl.AdoJobStore.LocalTransactionJobStore, Quartz";

    /// <summary>The PostgreSQL driver delegate type.</summary>
    public const string PostgresDelegateType = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz";

    /// <summary>The in-memory job store type.</summary>
    public const string InMemoryJobStoreType = "Quartz.Impl.RAMJobStore, Quartz";

    /// <summary>
    /// The Quartz properties for <paramref name="options"/>. They carry the resolved connection string, password
    /// included, so they must not be logged.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string or the password file cannot be used.</exception>
    public static NameValueCollection ToProperties(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = options.SchedulerName,
        };

        var connectionString = options.ResolveConnectionString();
        if (connectionString is null)
        {
            properties["quartz.jobStore.type"] = InMemoryJobStoreType;
            return properties;
        }

        properties["quartz.scheduler.instanceId"] = options.InstanceId;
        properties["quartz.jobStore.type"] = PersistentJobStoreType;
        properties["quartz.jobStore.driverDelegateType"] = PostgresDelegateType;
        properties["quartz.jobStore.dataSource"] = DataSourceName;
        properties["quartz.jobStore.tablePrefix"] = TablePrefix;

        // Every replica runs a scheduler on the same tables; clustering makes each trigger fire on exactly one of them
        // and lets the others recover the triggers of a replica that stopped checking in.
        properties["quartz.jobStore.clustered"] = "true";
        properties["quartz.jobStore.clusterCheckinInterval"] = Milliseconds(options.ClusterCheckinIntervalSeconds);
        properties["quartz.jobStore.misfireThreshold"] = Milliseconds(options.MisfireThresholdSeconds);
        properties["quartz.jobStore.dbRetryInterval"] = Milliseconds(options.RetryIntervalSeconds);

        // The migrations own the schema; Quartz only checks at start-up that the tables and columns it needs are there.
        properties["quartz.jobStore.schemaProvisioning"] = "Validate";
        properties[$"quartz.dataSource.{DataSourceName}.provider"] = "Npgsql";
        properties[$"quartz.dataSource.{DataSourceName}.connectionString"] = connectionString;

        // System.Text.Json: job data stays readable in the database and needs no binary serialization.
        properties["quartz.serializer.type"] = "stj";
        return properties;
    }

    /// <summary>
    /// A standalone scheduler builder (no host) configured from <paramref name="options"/>; <paramref name="configure"/>
    /// may add what the properties cannot say, such as logging, listeners or a time provider.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string or the password file cannot be used.</exception>
    public static QuartzSchedulerBuilder CreateSchedulerBuilder(StorageOptions options, Action<IQuartzBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = ToProperties(options);
        return QuartzSchedulerBuilder.Create(configure).UseProperties(properties);
    }

    private static string Milliseconds(int seconds) => (seconds * 1000L).ToString(CultureInfo.InvariantCulture);
}
