using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Scheduler.Benchmarks.KeplerRefresh;
using Scheduler.Cli;
using Scheduler.Core.Accounting;
using Scheduler.Reporting;
using Scheduler.Storage;
using Scheduler.Storage.Ledger;
using Scheduler.Storage.Migrations;
using Scheduler.Tests.Postgres;
using Scheduler.Tests.Shared;

namespace Scheduler.Benchmarks.Ledger;

/// <summary>
/// <c>ledger-report</c>: the savings report over a year of a ledger with a million Jobs (each with a run, a plan and
/// its energy), on a real PostgreSQL, with the 2025 actual intensities of four grids: each format's wall and CPU
/// time, allocations and peak memory, as <c>GET /reports/savings</c> and <c>carbon report</c> make it.
/// </summary>
internal static class LedgerReportBenchmark
{
    public const string Command = "ledger-report";

    private static readonly (string Zone, string File)[] Grids =
    [
        ("DE", "ger_2025_ci.csv"), ("GB", "gb_2025_ci.csv"), ("FR", "fr_2025_ci.csv"), ("US-CAL-CISO", "cal_2025_ci.csv"),
    ];

    private static readonly DateTimeOffset Year = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var jobs = args is ["--jobs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 1_000_000;
        await using var server = await PostgresServer.CreateAsync();
        var connection = await server.CreateDatabaseAsync();
        var storage = new StorageOptions { ConnectionString = connection };
        await MigrationRunner.ForOptions(storage).ApplyAsync();
        await using var ledger = PostgresLedger.Create(storage);

        var seeding = Stopwatch.StartNew();
        foreach (var (zone, file) in Grids)
        {
            var series = CarbonCsvFile.Read(RepositoryPaths.SharedData("carbon-2025", file));
            await ledger.RecordActualsAsync([.. Enumerable.Range(0, series.Count).Select(i => new IntensityPoint(zone, series.Start + (series.Step * i), series[i]))], CancellationToken.None);
        }

        await SeedJobsAsync(connection, jobs);
        var seeded = seeding.Elapsed;
        var rows = await RowsAsync(connection);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {jobs:N0} Jobs (with as many runs and plans) and a year of 30-minute actuals for {Grids.Length} grids in {seeded.TotalSeconds:0.0} s; {rows:N0} ledger rows in all"));

        var request = new SavingsReportRequest(Year, Year.AddYears(1));
        Console.WriteLine("| format | Jobs | saved | output | wall | CPU | allocated | peak managed heap | peak working set |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var format in new[] { ReportFormat.Json, ReportFormat.Csv, ReportFormat.Html, ReportFormat.Markdown })
        {
            var path = Path.Combine(Path.GetTempPath(), $"ledger-report.{ReportFormats.Extension(format)}");
            var (report, sample) = await StepMeter.MeasureAsync(
                async () =>
                {
                    await using var output = File.Create(path);
                    return await SavingsReportWriters.WriteAsync(new SavingsReportBuilder(ledger, TimeProvider.System), request, format, output, CancellationToken.None);
                },
                meter: null,
                prometheusPid: null);
            var total = report.Summary.Total;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {format} | {total.Jobs:N0} | {total.SavedPercent:0.0} % | {Mb(new FileInfo(path).Length)} | {sample.Wall.TotalSeconds:0.00} s | {sample.Cpu.TotalSeconds:0.00} s | {Mb(sample.AllocatedBytes)} | {Mb(sample.HeapPeak)} | {Mb(sample.WorkingSetPeak)} |"));
            File.Delete(path);
        }

        return 0;
    }

    // A year of Jobs, one every ~31.5 s, in 20 namespaces and 7 teams; a third free to run in DE or FR (and run in FR),
    // the others in DE only. Each is held 0-7 h, run
    // 1-4 h in one of the two, with 1-8 kWh of CPU and GPU energy and one plan. Written by the server from
    // generate_series: the benchmark measures the report, not the seeding.
    private static async Task SeedJobsAsync(string connection, int jobs)
    {
        await using var data = NpgsqlDataSource.Create(connection);
        var spacing = TimeSpan.FromDays(365).TotalSeconds / jobs;
        await using var command = data.CreateCommand($"""
            INSERT INTO ledger_jobs (uid, kind, namespace, name, team, submitted_at, deadline, expected_duration_seconds, candidate_zones,
                                     deferred, completed_at, outcome, cpu_joules, gpu_joules, energy_source)
            SELECT 'uid-' || i, 'Job', 'ns-' || (i % 20), 'job-' || i, 'team-' || (i % 7),
                   @year + make_interval(secs => i * @spacing), @year + make_interval(secs => i * @spacing) + interval '12 hours',
                   3600 * (1 + i % 4), CASE WHEN i % 3 = 0 THEN ARRAY['DE', 'FR'] ELSE ARRAY['DE'] END, true,
                   @year + make_interval(secs => i * @spacing) + make_interval(hours => (i % 8) + 1 + i % 4), 'completed',
                   1800000.0 * (1 + i % 8), 1800000.0 * (1 + i % 8), CASE WHEN i % 10 = 0 THEN 'estimated' ELSE 'measured' END
            FROM generate_series(0, @jobs - 1) AS i;
            INSERT INTO ledger_runs (uid, started_at, ended_at, zone, node)
            SELECT 'uid-' || i, @year + make_interval(secs => i * @spacing) + make_interval(hours => i % 8),
                   @year + make_interval(secs => i * @spacing) + make_interval(hours => (i % 8) + 1 + i % 4),
                   CASE WHEN i % 3 = 0 THEN 'FR' ELSE 'DE' END, 'node-' || (i % 50)
            FROM generate_series(0, @jobs - 1) AS i;
            INSERT INTO ledger_plans (uid, planned_at, planned_start, zone, latest_start, expected_intensity, baseline_intensity, reason)
            SELECT 'uid-' || i, @year + make_interval(secs => i * @spacing), @year + make_interval(secs => i * @spacing) + make_interval(hours => i % 8),
                   CASE WHEN i % 3 = 0 THEN 'FR' ELSE 'DE' END, @year + make_interval(secs => i * @spacing) + interval '8 hours', 150, 300, 'held for a cleaner window'
            FROM generate_series(0, @jobs - 1) AS i;
            ANALYZE;
            """);
        command.CommandTimeout = 1800;
        command.Parameters.AddWithValue("year", Year);
        command.Parameters.AddWithValue("spacing", spacing);
        command.Parameters.AddWithValue("jobs", jobs);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> RowsAsync(string connection)
    {
        await using var data = NpgsqlDataSource.Create(connection);
        await using var command = data.CreateCommand("SELECT (SELECT count(*) FROM ledger_jobs) + (SELECT count(*) FROM ledger_runs) + (SELECT count(*) FROM ledger_plans) + (SELECT count(*) FROM ledger_intensity_actuals)");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0.#} MiB");
}
