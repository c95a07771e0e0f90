using Scheduler.Storage.Ledger;

namespace Scheduler.Storage.Tests.Ledger;

/// <summary>The ledger contract on the in-memory ledger of the embedded default.</summary>
public class InMemoryLedgerTests : LedgerContractTests
{
    [Fact]
    public async Task Writes_FromManyThreadsAtOnce_NoneLost()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, ct) => new ValueTask(WriteNumberedJobAsync(i, ct)));

        var entries = await ReadAllAsync(new LedgerQuery(T0, T0.AddDays(30)));

        Assert.Equal(2_000, entries.Count);
        Assert.All(entries, e => Assert.Equal(ExpectedRuns(int.Parse(e.Uid.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture)), e.Runs));
    }

    /// <inheritdoc />
    protected override Task<ILedger> CreateLedgerAsync() => Task.FromResult<ILedger>(new InMemoryLedger());
}
