using Microsoft.Extensions.Configuration;

namespace Scheduler.Storage.Tests;

public class StorageOptionsTests
{
    private const string Secret = "pa55-w0rd-never-shown";

    [Fact]
    public void FromConfiguration_EnvironmentVariables_BindTheStorageSection()
    {
        // The only test that sets these variables; it restores them so nothing else sees them.
        Environment.SetEnvironmentVariable("Storage__ConnectionString", "Host=db;Database=carbon");
        Environment.SetEnvironmentVariable("Storage__PasswordFile", "/run/secrets/pg");
        try
        {
            var options = StorageOptions.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal("Host=db;Database=carbon", options.ConnectionString);
            Assert.Equal("/run/secrets/pg", options.PasswordFile);
            Assert.True(options.UsesDatabase);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Storage__ConnectionString", null);
            Environment.SetEnvironmentVariable("Storage__PasswordFile", null);
        }
    }

    [Fact]
    public void Defaults_InMemoryAndValid()
    {
        var options = StorageOptions.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.False(options.UsesDatabase);
        Assert.Null(options.ResolveConnectionString());
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_BadSettings_OneMessageEach()
    {
        var options = new StorageOptions
        {
            ConnectionString = "Host=db",
            PasswordFile = "/nonexistent/pg-password",
            ClusterCheckinIntervalSeconds = 0,
            MisfireThresholdSeconds = 0,
            RetryIntervalSeconds = 0,
            MigrationLockTimeoutSeconds = 0,
            SchedulerName = " ",
        };

        var errors = options.Validate();

        Assert.Equal(6, errors.Count);
        Assert.Contains("Storage:PasswordFile '/nonexistent/pg-password' does not exist.", errors);
        Assert.Contains("Storage:ClusterCheckinIntervalSeconds is 0; it must be between 1 and 300.", errors);
    }

    [Fact]
    public void Validate_PasswordFileWithoutConnectionString_IsAnError()
    {
        var errors = new StorageOptions { PasswordFile = "/run/secrets/pg" }.Validate();

        Assert.Contains(errors, e => e.Contains("Storage:ConnectionString is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnparseableConnectionString_SaysSoWithoutQuotingIt()
    {
        var errors = new StorageOptions { ConnectionString = $"Host=db;Password={Secret};Nonsense Key=1" }.Validate();

        var error = Assert.Single(errors);
        Assert.StartsWith("Storage:ConnectionString is not a valid PostgreSQL connection string", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveConnectionString_PasswordFile_ReplacesThePasswordAndDropsTheLineBreak()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Secret + "\n");
            var options = new StorageOptions { ConnectionString = "Host=db;Username=carbon", PasswordFile = file };

            Assert.Equal($"Host=db;Username=carbon;Password={Secret}", options.ResolveConnectionString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ResolveConnectionString_EmptyPasswordFile_NamesTheFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            var options = new StorageOptions { ConnectionString = "Host=db", PasswordFile = file };

            var error = Assert.Throws<InvalidOperationException>(options.ResolveConnectionString);

            Assert.Equal($"Storage:PasswordFile '{file}' is empty.", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ToString_PasswordInTheConnectionStringOrAFile_IsNeverShown()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Secret);
            var inline = new StorageOptions { ConnectionString = $"Host=db;Port=5433;Database=carbon;Username=carbon;Password={Secret};SSL Password={Secret}" };
            var fromFile = new StorageOptions { ConnectionString = "Host=db;Database=carbon;Username=carbon", PasswordFile = file };

            Assert.DoesNotContain(Secret, inline.ToString(), StringComparison.Ordinal);
            Assert.Contains("Host=db;Port=5433;Database=carbon;Username=carbon;Password=***", inline.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, fromFile.ToString(), StringComparison.Ordinal);
            Assert.Contains($"password from {file}", fromFile.ToString(), StringComparison.Ordinal);
            Assert.Contains("in memory", new StorageOptions().ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
