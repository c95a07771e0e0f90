using Scheduler.Storage.Scheduling;

namespace Scheduler.Storage.Tests.Scheduling;

public class QuartzStoreSettingsTests
{
    [Fact]
    public void ToProperties_WithConnectionString_ClusteredAdoStoreOnPostgres()
    {
        var options = new StorageOptions
        {
            ConnectionString = "Host=db;Database=carbon;Username=carbon",
            ClusterCheckinIntervalSeconds = 7,
            MisfireThresholdSeconds = 30,
            RetryIntervalSeconds = 5,
        };

        var properties = QuartzStoreSettings.ToProperties(options);

        var expected = new Dictionary<string, string>
        {
            ["quartz.scheduler.instanceName"] = "carbon-aware-scheduler",
            ["quartz.scheduler.instanceId"] = "AUTO",
            ["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.LocalTransactionJobStore, Quartz",
            ["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz",
            ["quartz.jobStore.dataSource"] = "default",
            ["quartz.jobStore.tablePrefix"] = "qrtz_",
            ["quartz.jobStore.clustered"] = "true",
            ["quartz.jobStore.clusterCheckinInterval"] = "7000",
            ["quartz.jobStore.misfireThreshold"] = "30000",
            ["quartz.jobStore.dbRetryInterval"] = "5000",
            ["quartz.jobStore.schemaProvisioning"] = "Validate",
            ["quartz.dataSource.default.provider"] = "Npgsql",
            ["quartz.dataSource.default.connectionString"] = "Host=db;Database=carbon;Username=carbon",
            ["quartz.serializer.type"] = "stj",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), properties.AllKeys.Select(k => new KeyValuePair<string, string>(k!, properties[k]!)).OrderBy(p => p.Key));
    }

    [Fact]
    public void ToProperties_WithoutConnectionString_InMemoryStore()
    {
        var properties = QuartzStoreSettings.ToProperties(new StorageOptions());

        Assert.Equal("Quartz.Impl.RAMJobStore, Quartz", properties["quartz.jobStore.type"]);
        Assert.DoesNotContain(properties.AllKeys, k => k!.StartsWith("quartz.dataSource", StringComparison.Ordinal));
        Assert.Null(properties["quartz.jobStore.clustered"]);
    }

    [Fact]
    public void ToProperties_PasswordFile_IsMergedIntoTheConnectionString()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-the-file\n");
            var options = new StorageOptions { ConnectionString = "Host=db;Username=carbon;Password=old", PasswordFile = file };

            var connectionString = QuartzStoreSettings.ToProperties(options)["quartz.dataSource.default.connectionString"]!;

            Assert.Contains("Password=from-the-file", connectionString, StringComparison.Ordinal);
            Assert.DoesNotContain("old", connectionString, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(QuartzStoreSettings.PersistentJobStoreType)]
    [InlineData(QuartzStoreSettings.PostgresDelegateType)]
    [InlineData(QuartzStoreSettings.InMemoryJobStoreType)]
    public void TypeNames_ResolveInTheQuartzPackage(string typeName)
    {
        Assert.NotNull(Type.GetType(typeName, throwOnError: false));
    }
}
