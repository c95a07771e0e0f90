using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Scheduler.Cli;
using Scheduler.Cli.Commands;
using Scheduler.Core.Simulation.Policies;
using Scheduler.Tests.Shared;

namespace Scheduler.Cli.Tests.Commands;

public sealed class SimulateCommandTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Two zones, hourly from 2025-01-01T00:00Z. A is cleanest at 02:00, B at 02:00.
    private static readonly double[] ZoneA = [400, 300, 100, 200, 400, 400, 400, 400];
    private static readonly double[] ZoneB = [200, 200, 50, 200, 200, 200, 200, 200];

    // At the default 1000 W a job draws 1 kWh per hour, so its grams are the intensity summed over its hours.
    private const string ThreeJobs =
        "id,submit,duration_minutes,deadline,power_watts,zones\n" +
        "j1,2025-01-01T00:00:00Z,60,2025-01-01T04:00:00Z,,\n" +
        "j2,2025-01-01 01:00:00,120,2025-01-01T06:00:00Z,500,A\n" +
        "j3,2025-01-01T00:00:00Z,60,2025-01-01T03:00:00Z,,B\n";

    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string[] Carbon() =>
    [
        "--carbon", _files.Write("A.csv", Hourly(Day, ZoneA)),
        "--carbon", "B=" + _files.Write("zone-b.csv", Hourly(Day, ZoneB)),
    ];

    [Fact]
    public void Run_TwoZonesThreeJobs_ReportsTheGramsDelaysAndZonesOfEachPolicy()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);

        var results = RunJson([.. Carbon(), "--jobs", jobs, "--policy", "immediate,lowest-window"]);

        // Baseline: j1 00-01 in A = 400 g; j2 01-03 in A at 500 W = 0.5 x (300 + 100) = 200 g; j3 00-01 in B = 200 g; 800 g in all.
        var immediate = results[0];
        Assert.Equal("immediate", (string?)immediate["policy"]);
        Assert.Equal(3, (int)immediate["jobs"]!);
        Assert.Equal(800, (double)immediate["baselineGrams"]!);
        Assert.Equal(800, (double)immediate["policyGrams"]!);
        Assert.Equal(0, (double)immediate["savedPercent"]!);
        Assert.Equal(0, (double)immediate["meanDelayHours"]!);
        Assert.Equal(PerZone(("A", 2, 600), ("B", 1, 200)), immediate["perZone"]!.ToJsonString());

        // lowest-window: j1 at 02:00 (100 g, 2 h late); j2 at 02:00-04:00 (0.5 x (100 + 200) = 150 g, 1 h late);
        // j3 at 02:00 in B (50 g, 2 h late). 300 g: 62.5 % saved; delays 2, 1, 2: mean 5/3, p95 (3rd of 3) 2.
        var window = results[1];
        Assert.Equal("lowest-window", (string?)window["policy"]);
        Assert.Equal(800, (double)window["baselineGrams"]!);
        Assert.Equal(300, (double)window["policyGrams"]!);
        Assert.Equal(62.5, (double)window["savedPercent"]!);
        Assert.Equal(0, (int)window["missedDeadlines"]!);
        Assert.Equal(1.667, (double)window["meanDelayHours"]!);
        Assert.Equal(2, (double)window["p95DelayHours"]!);
        Assert.Equal(0, (int)window["uncovered"]!);
        Assert.Equal(PerZone(("A", 2, 250), ("B", 1, 50)), window["perZone"]!.ToJsonString());
    }

    [Fact]
    public void Run_Json_PrintsTheContractFieldsFirstAndInOrder()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);

        var result = Assert.Single(RunJson([.. Carbon(), "--jobs", jobs, "--policy", "lowest-window"]));

        Assert.Equal(
            ["policy", "jobs", "baselineGrams", "policyGrams", "savedPercent", "missedDeadlines", "meanDelayHours", "p95DelayHours", "uncovered", "forecasts", "capacity", "perZone"],
            result.Select(p => p.Key));
        Assert.Equal("perfect", (string?)result["forecasts"]);
        Assert.Null(result["capacity"]);
    }

    [Fact]
    public void Run_Table_PrintsOneRowPerPolicyInKilogramsThenZonesThenWhatWasAssumed()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(0, SimulateCommand.Run([.. Carbon(), "--jobs", jobs, "--policy", "immediate,lowest-window"], stdout, stderr));

        var lines = stdout.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal(["policy", "jobs", "baseline", "kg", "policy", "kg", "saved", "%", "missed", "mean", "delay", "h", "p95", "delay", "h"], Words(lines[0]));
        Assert.Equal(["immediate", "3", "0.800", "0.800", "0.00", "0", "0.00", "0.00"], Words(lines[1]));
        Assert.Equal(["lowest-window", "3", "0.800", "0.300", "62.50", "0", "1.67", "2.00"], Words(lines[2]));
        Assert.Equal(["per", "zone", "zone", "jobs", "policy", "kg"], Words(lines[4]));
        Assert.Equal(["immediate", "A", "2", "0.600"], Words(lines[5]));
        Assert.Equal(["B", "1", "0.200"], Words(lines[6]));
        Assert.Equal(["lowest-window", "A", "2", "0.250"], Words(lines[7]));
        Assert.Equal(["B", "1", "0.050"], Words(lines[8]));
        Assert.Contains("forecasts: perfect; capacity: unbounded", lines);
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void Run_PolicyAll_PrintsOneLinePerPolicyOfTheCatalog()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);

        var results = RunJson([.. Carbon(), "--jobs", jobs, "--policy", "all"]);

        Assert.Equal(PolicyCatalog.Names, results.Select(r => (string)r["policy"]!));
        Assert.All(results, r => Assert.Equal(800, (double)r["baselineGrams"]!));
    }

    [Fact]
    public void Run_NoisyForecasts_AreRepeatableForASeedAndDifferAcrossSeeds()
    {
        // Two days of a gentle daily curve; with 30 % noise the noise, not the curve, decides most windows.
        var values = Enumerable.Range(0, 48).Select(h => 200 + (20 * Math.Sin(h * Math.PI / 12))).ToArray();
        var carbon = _files.Write("A.csv", Hourly(Day, values));
        var rows = new StringBuilder("id,submit,duration_minutes,deadline\n");
        for (var i = 0; i < 20; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"job{i},{Day.AddHours(i):O},120,{Day.AddHours(i + 20):O}\n");
        }

        var jobs = _files.Write("jobs.csv", rows.ToString());
        string[] Args(int seed) => ["--carbon", carbon, "--jobs", jobs, "--policy", "lowest-window", "--forecast-error", "0.3", "--seed", seed.ToString(CultureInfo.InvariantCulture)];

        var first = Assert.Single(RunJson(Args(1)));
        var again = Assert.Single(RunJson(Args(1)));
        var others = Enumerable.Range(2, 5).Select(seed => (double)Assert.Single(RunJson(Args(seed)))["policyGrams"]!).ToList();

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal("noise 0.3 seed 1", (string?)first["forecasts"]);
        Assert.Contains(others, grams => grams != (double)first["policyGrams"]!);
    }

    [Fact]
    public void Run_IssuedForecasts_PlanAJobAgainWhenANewerForecastIsIssued()
    {
        // Actually clean at 06:00 only. The forecast issued at 00:00 expects it at 10:00; the one issued at 05:00 gets it right.
        var actual = Enumerable.Repeat(300.0, 13).ToArray();
        actual[6] = 50;
        var carbon = _files.Write("A.csv", Hourly(Day, actual));
        var jobs = _files.Write("jobs.csv", "id,submit,duration_minutes,deadline\nj,2025-01-01T00:00:00Z,60,2025-01-01T12:00:00Z\n");
        var early = Issue(Day, Day, 13, cleanAt: 10);
        var late = Issue(Day.AddHours(5), Day.AddHours(5), 8, cleanAt: 6);

        // Rows of the two forecasts interleaved and out of order: grouping and sorting are the reader's job.
        var both = _files.Write("forecasts-a.csv", "request_time,forecast_time,value\n" + string.Concat(Enumerable.Reverse(late).Zip(early, (l, e) => l + e)) + string.Concat(early.Skip(late.Length)));
        var onlyEarly = _files.Write("early-a.csv", "Request_Time,Forecast_Time,Value\n" + string.Concat(early));

        var replanned = Simulate(["--carbon", carbon, "--jobs", jobs, "--policy", "lowest-window", "--forecasts", "A=" + both], out var replannedRuns);
        var stale = Simulate(["--carbon", carbon, "--jobs", jobs, "--policy", "lowest-window", "--forecasts", "A=" + onlyEarly], out var staleRuns);

        // Planned at 10:00 at submission, moved to 06:00 at 05:00: 50 g instead of the baseline's 300 g, 6 h later.
        Assert.Equal("issued", (string?)replanned["forecasts"]);
        Assert.Equal(50, (double)replanned["policyGrams"]!);
        Assert.Equal(6, (double)replanned["meanDelayHours"]!);
        Assert.Equal("lowest-window,j,A,2025-01-01T06:00:00Z,2025-01-01T07:00:00Z,1,300,50,6,false", replannedRuns[1]);

        // Without the later forecast the job keeps the 10:00 window, which is actually as dirty as 00:00.
        Assert.Equal(300, (double)stale["policyGrams"]!);
        Assert.Equal("lowest-window,j,A,2025-01-01T10:00:00Z,2025-01-01T11:00:00Z,1,300,300,10,false", staleRuns[1]);
    }

    [Fact]
    public void Run_MaxJobsOne_QueuesTheSecondOfTwoIdenticalJobs()
    {
        var jobs = _files.Write("jobs.csv", "id,submit,duration_minutes,deadline\nx,2025-01-01T00:00:00Z,60,2025-01-01T08:00:00Z\ny,2025-01-01T00:00:00Z,60,2025-01-01T08:00:00Z\n");
        string[] args = [.. Carbon(), "--jobs", jobs, "--policy", "lowest-window"];

        var unbounded = Simulate(args, out _);
        var queued = Simulate([.. args, "--max-jobs", "1"], out var runs);

        // Unbounded: both at 02:00 (100 g each), 2 h late.
        Assert.Equal(200, (double)unbounded["policyGrams"]!);
        Assert.Equal(2, (double)unbounded["meanDelayHours"]!);

        // One at a time: x at 02:00 (100 g), y waits for 03:00 (200 g), 2 h and 3 h late. The baseline queues too:
        // x 00:00 (400 g), y 01:00 (300 g). Saved (700 - 300) / 700 = 57.143 %.
        Assert.Equal(700, (double)queued["baselineGrams"]!);
        Assert.Equal(300, (double)queued["policyGrams"]!);
        Assert.Equal(57.143, (double)queued["savedPercent"]!);
        Assert.Equal(2.5, (double)queued["meanDelayHours"]!);
        Assert.Equal(3, (double)queued["p95DelayHours"]!);
        Assert.Equal("""{"maxJobs":1,"maxGpus":null}""", queued["capacity"]!.ToJsonString());
        Assert.Equal("lowest-window,y,A,2025-01-01T03:00:00Z,2025-01-01T04:00:00Z,1,300,200,3,false", runs[2]);
    }

    [Fact]
    public void Main_MaxGpusBelowAJobsGpus_ExitsWithUsageAndSaysWhichJob()
    {
        var jobs = _files.Write("jobs.csv", "id,submit,duration_minutes,deadline,gpus\nsmall,2025-01-01T00:00:00Z,60,2025-01-01T08:00:00Z,1\nbig,2025-01-01T00:00:00Z,60,2025-01-01T08:00:00Z,4\n");

        var (exit, stdout, stderr) = RunCarbon([.. Carbon(), "--jobs", jobs, "--policy", "lowest-window", "--max-gpus", "2"]);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("job big needs 4 GPUs, more than --max-gpus 2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("j1,yesterday,60,2025-01-01T04:00:00Z,A", "jobs.csv:3: column 'submit': 'yesterday' is not an ISO 8601 time")]
    [InlineData("j1,2025-01-01T00:00:00Z,-5,2025-01-01T04:00:00Z,A", "jobs.csv:3: column 'duration_minutes': '-5' is not a positive number of minutes")]
    [InlineData("j1,2025-01-01T00:00:00Z,60,2025-01-01T04:00:00Z,A;XX", "jobs.csv:3: column 'zones': 'A;XX' names zone XX, which has no --carbon file; known zones: A, B")]
    [InlineData("j1,2025-01-01T00:00:00Z,60", "jobs.csv:3: column 'deadline': '' is not an ISO 8601 time")]
    public void Main_MalformedJobRow_ExitsWithUsageAndNamesTheLine(string row, string expected)
    {
        var jobs = _files.Write("jobs.csv", "id,submit,duration_minutes,deadline,zones\nj0,2025-01-01T00:00:00Z,60,2025-01-01T04:00:00Z,B\n" + row + "\n");

        var (exit, _, stderr) = RunCarbon([.. Carbon(), "--jobs", jobs, "--policy", "immediate"]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_JobsWithoutADeadlineColumn_ExitsWithUsageAndNamesTheHeaderLine()
    {
        var jobs = _files.Write("jobs.csv", "id,submit,duration_minutes\nj1,2025-01-01T00:00:00Z,60\n");

        var (exit, _, stderr) = RunCarbon([.. Carbon(), "--jobs", jobs, "--policy", "immediate"]);

        Assert.Equal(2, exit);
        Assert.Contains("jobs.csv:1: no column 'deadline'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PaiTrace_ImportsAWeekOfJobsAndSimulatesThem()
    {
        // Ten days of hourly data from the trace's start: the last job arrives at 168 h and may finish by about 217 h.
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var carbon = _files.Write("DE.csv", Hourly(start, [.. Enumerable.Range(0, 240).Select(h => 100.0 + (10 * (h % 24)))]));

        var results = RunJson(["--carbon", carbon, "--trace", RepositoryPaths.SharedData("job-traces", "pai_1k.csv"), "--trace-start", "2025-03-01T00:00:00Z", "--policy", "immediate,threshold"]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(1000, (int)r["jobs"]!));
        Assert.All(results, r => Assert.Equal(0, (int)r["uncovered"]!));
        Assert.All(results, r => Assert.Equal(0, (int)r["missedDeadlines"]!));
        Assert.True((double)results[1]["policyGrams"]! < (double)results[0]["policyGrams"]!);
    }

    [Theory]
    [InlineData(new[] { "--policy", "fastest" }, "unknown policy 'fastest'; known: immediate, lowest-window")]
    [InlineData(new[] { "--policy", "immediate", "--forecast-error", "0.1", "--forecasts", "A=x.csv" }, "exclude each other")]
    [InlineData(new[] { "--policy", "immediate", "--seed", "3" }, "--seed applies only with --forecast-error")]
    [InlineData(new[] { "--policy", "immediate", "--max-delay", "3h" }, "--max-delay applies only with --trace")]
    [InlineData(new[] { "--policy", "immediate", "--max-jobs", "0" }, "--max-jobs '0' must be a whole number of jobs of at least 1")]
    [InlineData(new[] { "--policy", "immediate", "--format", "xml" }, "json or table")]
    [InlineData(new[] { "--policy", "immediate", "--format", "json", "--format", "table" }, "--format may be given only once")]
    public void Run_BadOptions_SaysWhatToChange(string[] options, string expected)
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);

        var e = Assert.Throws<UsageException>(() => SimulateCommand.Run([.. Carbon(), "--jobs", jobs, .. options], TextWriter.Null, TextWriter.Null));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ForecastsForOnlySomeZones_NamesTheZonesWithout()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs);
        var forecasts = _files.Write("A-forecasts.csv", "request_time,forecast_time,value\n" + string.Concat(Issue(Day, Day, 8, cleanAt: 2)));

        var e = Assert.Throws<UsageException>(() => SimulateCommand.Run([.. Carbon(), "--jobs", jobs, "--policy", "immediate", "--forecasts", "A=" + forecasts], TextWriter.Null, TextWriter.Null));

        Assert.Contains("no forecast file for zone B", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_JobsBeyondTheCarbonData_AreLeftOutWithAWarning()
    {
        var jobs = _files.Write("jobs.csv", ThreeJobs + "late,2025-02-01T00:00:00Z,60,2025-02-01T04:00:00Z,,\n");
        var stderr = new StringWriter();

        var stdout = new StringWriter();
        SimulateCommand.Run([.. Carbon(), "--jobs", jobs, "--policy", "immediate", "--format", "json"], stdout, stderr);

        Assert.Equal(1, (int)JsonNode.Parse(stdout.ToString())!["uncovered"]!);
        Assert.Equal("carbon: warning: 1 of 4 jobs left out: the carbon data does not cover their baseline or their run", stderr.ToString().Trim());
    }

    private static string Hourly(DateTimeOffset start, IReadOnlyList<double> values)
    {
        var csv = new StringBuilder("timestamp,gco2\n");
        for (var i = 0; i < values.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{start.AddHours(i):yyyy-MM-ddTHH:mm:ssZ},{values[i]}\n");
        }

        return csv.ToString();
    }

    // A forecast issued at `issued` for `hours` hours from `from`, 300 everywhere but 50 at hour `cleanAt` of the day.
    private static string[] Issue(DateTimeOffset issued, DateTimeOffset from, int hours, int cleanAt) =>
        [.. Enumerable.Range(0, hours).Select(h => from.AddHours(h)).Select(t => string.Create(CultureInfo.InvariantCulture, $"{issued:O},{t:O},{(t.Hour == cleanAt ? 50 : 300)}\n"))];

    private static string PerZone(params (string Zone, int Jobs, double Grams)[] zones) =>
        new JsonArray([.. zones.Select(z => new JsonObject { ["zone"] = z.Zone, ["jobs"] = z.Jobs, ["grams"] = z.Grams })]).ToJsonString();

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static List<JsonObject> RunJson(string[] args)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, SimulateCommand.Run([.. args, "--format", "json"], stdout, TextWriter.Null));
        return [.. stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    // One policy's JSON line, and the lines of its --outcomes file.
    private JsonObject Simulate(string[] args, out string[] outcomes)
    {
        var path = _files.PathOf($"outcomes-{Guid.NewGuid():N}.csv");
        var result = Assert.Single(RunJson([.. args, "--outcomes", path]));
        outcomes = File.ReadAllLines(path);
        return result;
    }

    // The real command line, for what only Program decides: exit codes and what reaches the terminal.
    private static (int Exit, string Stdout, string Stderr) RunCarbon(string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "carbon.dll"));
        start.ArgumentList.Add("simulate");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
