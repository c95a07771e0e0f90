using Microsoft.Extensions.Options;
using Scheduler.Extender.Ledger;
using Scheduler.Extender.Tests.Fixtures;

namespace Scheduler.Extender.Tests.Ledger;

public class LedgerOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndDocumented()
    {
        var options = new LedgerOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(100_000, options.QueueCapacity);
        Assert.Null(options.ScoringSampleEvery);
        Assert.Equal(20, options.ScoringSampleEveryIn(usesDatabase: true));
        Assert.Equal(0, options.ScoringSampleEveryIn(usesDatabase: false));
        Assert.Equal(5, new LedgerOptions { ScoringSampleEvery = 5 }.ScoringSampleEveryIn(usesDatabase: false));
        Assert.Equal(60, options.ForecastIntervalMinutes);
        Assert.Equal(5, options.ShutdownFlushSeconds);
    }

    [Theory]
    [InlineData(999, 20, 60, 5, "Ledger:QueueCapacity is 999; it must be between 1000 and 10000000.")]
    [InlineData(100_000, -1, 60, 5, "Ledger:ScoringSampleEvery is -1; it must be between 0 and 1000000.")]
    [InlineData(100_000, 20, 1441, 5, "Ledger:ForecastIntervalMinutes is 1441; it must be between 0 and 1440.")]
    [InlineData(100_000, 20, 60, 301, "Ledger:ShutdownFlushSeconds is 301; it must be between 0 and 300.")]
    public void Validate_OutOfRange_SaysWhichSettingAndTheRange(int capacity, int every, int interval, int flush, string message)
    {
        var options = new LedgerOptions { QueueCapacity = capacity, ScoringSampleEvery = every, ForecastIntervalMinutes = interval, ShutdownFlushSeconds = flush };

        Assert.Equal([message], options.Validate());
    }

    [Fact]
    public async Task Start_BadLedgerSetting_StopsTheStartWithItsMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, "--Ledger:QueueCapacity", "10"));

        Assert.Contains("Ledger:QueueCapacity is 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadStorageSettingWithoutDeferral_StopsTheStartWithItsMessage()
    {
        // The storage settings are used by the ledger whether or not the deferral controller runs.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ExtenderServer.StartAsync(null, "--Storage:ConnectionString", "Host=127.0.0.1;Port=notaport"));

        Assert.Contains("Storage:ConnectionString is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }
}
