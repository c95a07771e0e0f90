using Microsoft.Extensions.Configuration;
using Scheduler.Core.Annotations;
using Scheduler.Reporting;
using Scheduler.Storage;
using Scheduler.Storage.Ledger;

namespace Scheduler.Cli.Commands;

/// <summary><c>carbon report</c>: the carbon savings report from the ledger in PostgreSQL, as <c>GET /reports/savings</c> serves it.</summary>
internal static class ReportCommand
{
    public const string Usage =
        "carbon report --from T --to T [--namespace NS] [--team TEAM] [--job NAME] [--format html|csv|json|md] [--out FILE]\n" +
        "              [--connection CONNSTRING] [--config FILE]\n" +
        "  T is ISO 8601 (UTC when no offset); either end may be a duration from the other (--from 720h, --to 24h).\n" +
        "  The ledger is the PostgreSQL database of --connection, or of Storage__ConnectionString (and Storage__PasswordFile)\n" +
        "  from the environment or --config appsettings.json. --job needs --namespace. Without --out the report goes to\n" +
        "  standard output; --format defaults to the extension of --out, else html.";

    private static readonly string[] Known = ["from", "to", "namespace", "team", "job", "format", "out", "connection", "config"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var options = CommandArguments.Parse(args, Known);
        var (from, until) = Period(options.Required("from"), options.Required("to"));
        var output = options.Optional("out");
        var format = Format(options.Optional("format"), output);
        var request = new SavingsReportRequest(from, until, options.Optional("namespace"), options.Optional("team"), options.Optional("job"));
        if (request.Validate() is { Count: > 0 } problems)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        var storage = Storage(options);
        await using var ledger = PostgresLedger.Create(storage);
        var builder = new SavingsReportBuilder(ledger, time);
        SavingsReport report;
        if (output is null)
        {
            await using var stream = Console.OpenStandardOutput();
            report = await SavingsReportWriters.WriteAsync(builder, request, format, stream, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await using (var stream = File.Create(output))
            {
                report = await SavingsReportWriters.WriteAsync(builder, request, format, stream, CancellationToken.None).ConfigureAwait(false);
            }

            var total = report.Summary.Total;
            await stdout.WriteLineAsync($"{output}: {total.Jobs} Jobs, {total.Accounted} accounted for, {total.SavedGrams / 1000:0.###} kg CO2eq saved ({total.SavedPercent:0.#} %)").ConfigureAwait(false);
        }

        if (report.Summary.Total.Jobs == 0)
        {
            await stderr.WriteLineAsync("carbon: no Job in the ledger for this period").ConfigureAwait(false);
        }

        return 0;
    }

    // Either end may be a duration from the other: --from 720h --to T, or --from T --to 24h.
    private static (DateTimeOffset From, DateTimeOffset Until) Period(string fromText, string toText)
    {
        var fromIsDuration = GoDuration.TryParse(fromText, out var before, out _);
        var toIsDuration = GoDuration.TryParse(toText, out var after, out _);
        return (fromIsDuration, toIsDuration) switch
        {
            (true, true) => throw new UsageException("--from and --to cannot both be durations: one must be a time"),
            (true, false) => (TimeArguments.Time("to", toText) - before, TimeArguments.Time("to", toText)),
            (false, true) => (TimeArguments.Time("from", fromText), TimeArguments.Time("from", fromText) + after),
            _ => (TimeArguments.Time("from", fromText), TimeArguments.Time("to", toText)),
        };
    }

    private static ReportFormat Format(string? text, string? output)
    {
        var name = text ?? (output is null ? "html" : Path.GetExtension(output).TrimStart('.'));
        if (ReportFormats.TryParse(name, out var format))
        {
            return format;
        }

        if (text is null)
        {
            return ReportFormat.Html;
        }

        throw new UsageException($"--format '{text}' must be one of {ReportFormats.Names}");
    }

    private static StorageOptions Storage(CommandArguments options)
    {
        var builder = new ConfigurationBuilder();
        if (options.Optional("config") is { } configFile)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        var storage = StorageOptions.FromConfiguration(builder.AddEnvironmentVariables().Build());
        if (options.Optional("connection") is { } connection)
        {
            storage.ConnectionString = connection;
        }

        if (!storage.UsesDatabase)
        {
            throw new UsageException("no ledger: give --connection or set Storage__ConnectionString (the report reads the ledger in PostgreSQL)");
        }

        if (storage.Validate() is { Count: > 0 } problems)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        return storage;
    }
}
