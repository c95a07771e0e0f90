using System.Globalization;
using System.Text;
using Scheduler.Cli.Commands;
using Scheduler.Tests.Shared;

namespace Scheduler.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Run_TwoGridsAndATrace_WritesEveryTableAndFigure()
    {
        using var folder = new TempDirectory();
        var dirty = folder.Write("dirty.csv", Carbon(hour => hour is >= 10 and < 16 ? 150 : 400));
        var clean = folder.Write("clean.csv", Carbon(hour => hour is >= 1 and < 5 ? 20 : 60));
        var output = folder.PathOf("out");
        var stdout = new StringWriter();

        var exit = EvaluateCommand.Run(
            ["--carbon", $"AA={dirty}", "--carbon", $"BB={clean}", "--trace", RepositoryPaths.SharedData("job-traces", "pai_1k.csv"), "--trace-start", "2025-06-02T00:00:00Z", "--out", output],
            stdout);

        Assert.Equal(0, exit);
        var results = File.ReadAllText(Path.Combine(output, "results.md"));
        Assert.Contains("## (a) Nightly 30-minute job", results, StringComparison.Ordinal);
        Assert.Contains("## (b) Training jobs", results, StringComparison.Ordinal);
        Assert.Contains("## (c) Job trace (1000 jobs), every policy", results, StringComparison.Ordinal);
        Assert.Contains("## (c') The trace on AA", results, StringComparison.Ordinal);

        // AA is clean only from 10:00 to 16:00: a nightly job 8 h either way reaches 09:00 at most, so
        // it saves nothing; moving the trace to BB, cleaner all day, saves most of it.
        Assert.Contains("| W = 8 h | 0.0 % | 0.0 % |", results, StringComparison.Ordinal);
        Assert.Matches(@"\| AA \| unbounded \| lowest-window-zones \| perfect \| 1000 \| [0-9.]+ \| [0-9.]+ \| (8\d|9\d)\.\d %", results);
        foreach (var figure in new[] { "nightly.png", "training.png", "trace.png", "profiles.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, figure));
            Assert.True(bytes.Length > 10_000, $"{figure} is {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
    }

    [Fact]
    public void Run_WithoutAnOutputFolder_IsAUsageError()
    {
        using var folder = new TempDirectory();
        var carbon = folder.Write("a.csv", Carbon(_ => 100));

        var error = Assert.Throws<UsageException>(() => EvaluateCommand.Run(
            ["--carbon", carbon, "--trace", RepositoryPaths.SharedData("job-traces", "pai_1k.csv"), "--trace-start", "2025-06-02T00:00:00Z"], new StringWriter()));

        Assert.Contains("--out", error.Message, StringComparison.Ordinal);
    }

    // Four weeks of half-hourly intensity, by hour of day.
    private static string Carbon(Func<int, double> byHour)
    {
        var csv = new StringBuilder("timestamp,intensity\n");
        for (var step = 0; step < 28 * 48; step++)
        {
            var time = Start.AddMinutes(30 * step);
            csv.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-ddTHH:mm:ssZ},{byHour(time.Hour)}\n");
        }

        return csv.ToString();
    }
}
