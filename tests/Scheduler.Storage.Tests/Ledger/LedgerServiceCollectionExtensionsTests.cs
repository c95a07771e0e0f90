using Microsoft.Extensions.DependencyInjection;
using Scheduler.Storage.Ledger;
using Scheduler.Storage.Tests.Support;
using Scheduler.Tests.Postgres;

namespace Scheduler.Storage.Tests.Ledger;

public class LedgerServiceCollectionExtensionsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AddLedger_NoConnectionString_InMemory()
    {
        await using var services = new ServiceCollection().AddLedger(new StorageOptions()).BuildServiceProvider();

        var ledger = services.GetRequiredService<ILedger>();

        Assert.IsType<InMemoryLedger>(ledger);
        Assert.Same(ledger, services.GetRequiredService<ILedger>());
    }

    [Fact]
    public async Task AddLedger_ConnectionStringAndPasswordFile_PostgresThatWorks()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await TestStores.MigrateAsync(database);
        var file = Path.GetTempFileName();
        try
        {
            // The fixture's server trusts loopback, so the password is sent but not checked: this shows that the file
            // replaces the connection string's password without the two clashing.
            await File.WriteAllTextAsync(file, "from-the-file\n");
            var options = new StorageOptions { ConnectionString = database + ";Password=in-the-string", PasswordFile = file };
            await using var services = new ServiceCollection().AddLedger(options).BuildServiceProvider();

            var ledger = services.GetRequiredService<ILedger>();
            await ledger.RecordActualsAsync([new("DE", DateTimeOffset.UnixEpoch, 1)], CancellationToken.None);

            Assert.IsType<PostgresLedger>(ledger);
            Assert.Single(await ledger.ReadActualsAsync(["DE"], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AddLedger_MissingPasswordFile_ResolvingSaysWhichFile()
    {
        var options = new StorageOptions { ConnectionString = "Host=127.0.0.1;Username=x", PasswordFile = "/nonexistent/ledger-password" };
        await using var services = new ServiceCollection().AddLedger(options).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ILedger>());

        Assert.Contains("Storage:PasswordFile '/nonexistent/ledger-password' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddLedger_LedgerAlreadyRegistered_KeepsIt()
    {
        var mine = new InMemoryLedger();
        await using var services = new ServiceCollection().AddSingleton<ILedger>(mine).AddLedger(new StorageOptions { ConnectionString = "Host=127.0.0.1" }).BuildServiceProvider();

        Assert.Same(mine, services.GetRequiredService<ILedger>());
    }
}
