using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Scheduler.Cli;
using Scheduler.Cli.Commands;
using Scheduler.Core.Accounting;
using Scheduler.Storage;
using Scheduler.Storage.Ledger;
using Scheduler.Storage.Migrations;
using Scheduler.Tests.Postgres;

namespace Scheduler.Cli.Tests.Commands;

/// <summary><c>carbon report</c> against a ledger in a real PostgreSQL.</summary>
public class ReportCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Day = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly FakeTimeProvider Clock = new(Day.AddDays(2));

    [Fact]
    public async Task Run_JsonToAFile_WritesTheReportAndSaysWhatItHolds()
    {
        var connection = await SeedAsync();
        using var folder = new TempDirectory();
        var stdout = new StringWriter();

        var code = await ReportCommand.RunAsync(["--from", "2025-03-01", "--to", "24h", "--out", folder.PathOf("day.json"), "--connection", connection], stdout, TextWriter.Null, Clock);

        Assert.Equal(0, code);
        Assert.Equal($"{folder.PathOf("day.json")}: 1 Jobs, 1 accounted for, 0.4 kg CO2eq saved (57.1 %)", stdout.ToString().Trim());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(folder.PathOf("day.json")));
        Assert.Equal(400, report.RootElement.GetProperty("totals").GetProperty("savedGrams").GetDouble(), 3);
    }

    [Fact]
    public async Task Run_FormatFromTheExtension_WritesCsv()
    {
        var connection = await SeedAsync();
        using var folder = new TempDirectory();

        await ReportCommand.RunAsync(["--from", "2025-03-01", "--to", "2025-03-02", "--out", folder.PathOf("day.csv"), "--connection", connection], TextWriter.Null, TextWriter.Null, Clock);

        var lines = await File.ReadAllLinesAsync(folder.PathOf("day.csv"));
        Assert.StartsWith("uid,namespace,name,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("uid-1,ml,train,", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from 2025-03-02 --to 2025-03-01 --connection Host=x", "must come after its start")]
    [InlineData("--from 2025-03-01 --to 2025-03-02 --format pdf --connection Host=x", "--format 'pdf' must be one of html, csv, json, md")]
    [InlineData("--from 2025-03-01 --to 2025-03-02 --job train --connection Host=x", "give the namespace too")]
    [InlineData("--from 2025-03-01 --to 2025-03-02", "no ledger: give --connection or set Storage__ConnectionString")]
    public async Task Run_BadArguments_SayWhatIsWrong(string args, string message)
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => ReportCommand.RunAsync(args.Split(' '), TextWriter.Null, TextWriter.Null, Clock));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // One Job, held from 00:00 to 02:00 and run 2 h on 2 kWh: baseline 2 x 350 = 700 g, emitted 2 x 150 = 300 g.
    private async Task<string> SeedAsync()
    {
        var connection = await postgres.Server.CreateDatabaseAsync();
        var storage = new StorageOptions { ConnectionString = connection };
        await MigrationRunner.ForOptions(storage).ApplyAsync();
        await using var ledger = PostgresLedger.Create(storage);
        var none = CancellationToken.None;
        await ledger.RecordActualsAsync([.. new double[] { 400, 300, 100, 200 }.Select((value, hour) => new IntensityPoint("A", Day.AddHours(hour), value))], none);
        await ledger.RecordSubmissionAsync(new LedgerSubmission("uid-1", "Job", "ml", "train", null, Day, Day.AddHours(12), TimeSpan.FromHours(2), ["A"], true), none);
        await ledger.RecordRunStartAsync("uid-1", Day.AddHours(2), "A", null, none);
        await ledger.RecordCompletionAsync(new LedgerCompletion("uid-1", Day.AddHours(4), "completed", new JobEnergy(7_200_000, 0, EnergySource.Measured), null, null), none);
        return connection;
    }
}
