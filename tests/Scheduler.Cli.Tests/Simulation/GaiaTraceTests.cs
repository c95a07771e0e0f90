using Scheduler.Cli;
using Scheduler.Cli.Simulation;
using Scheduler.Tests.Shared;

namespace Scheduler.Cli.Tests.Simulation;

public class GaiaTraceTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static GaiaTraceSettings Settings(TimeSpan unit) =>
        new(Start, unit, TimeSpan.FromHours(24), WattsPerCpu: 10, Zones: ["DE", "FR"], Interruptible: true);

    [Fact]
    public void Read_Pai1k_ImportsAThousandJobsInSeconds()
    {
        using var reader = File.OpenText(RepositoryPaths.SharedData("job-traces", "pai_1k.csv"));

        var jobs = GaiaTrace.Read(reader, "pai_1k.csv", Settings(TimeSpan.FromSeconds(1)));

        Assert.Equal(1000, jobs.Count);

        // The first row: 0.0,6302.0,1.
        var first = jobs[0];
        Assert.Equal("1", first.Id);
        Assert.Equal(Start, first.Submit);
        Assert.Equal(TimeSpan.FromSeconds(6302), first.Duration);
        Assert.Equal(Start + TimeSpan.FromSeconds(6302) + TimeSpan.FromHours(24), first.Deadline);
        Assert.Equal(10, first.PowerWatts);
        Assert.Equal(1, first.Gpus);
        Assert.Equal(["DE", "FR"], first.Zones);
        Assert.True(first.Interruptible);

        // The third: 463.0,1570.0,3 - three CPUs draw 30 W and hold three units of capacity.
        Assert.Equal(("3", Start.AddSeconds(463), 30.0, 3), (jobs[2].Id, jobs[2].Submit, jobs[2].PowerWatts, jobs[2].Gpus));
        Assert.InRange(jobs[^1].Submit, Start, Start.AddDays(7));
    }

    [Fact]
    public void Read_Pai100kInHours_SpansOneYear()
    {
        using var reader = File.OpenText(RepositoryPaths.SharedData("job-traces", "pai-100k.csv"));

        var jobs = GaiaTrace.Read(reader, "pai-100k.csv", Settings(TimeSpan.FromHours(1)));

        // The last row arrives at 8759.45 h, the last day of the year; its first job runs 25.41 h.
        Assert.Equal(99_998, jobs.Count);
        Assert.Equal(Start.AddSeconds(Math.Round(8759.450277777776 * 3600)), jobs[^1].Submit);
        Assert.Equal(TimeSpan.FromSeconds(Math.Round(25.408055555555556 * 3600)), jobs[0].Duration);
    }

    [Theory]
    [InlineData("arrival_time,length,cpus\n0,10,1\n5,0,1\n", "trace.csv:3: column 'length': '0' is not a length of at least one second")]
    [InlineData("arrival_time,length,cpus\n-1,10,1\n", "trace.csv:2: column 'arrival_time': '-1' is not a time of at least 0")]
    [InlineData("arrival_time,length,cpus\n0,10,none\n", "trace.csv:2: column 'cpus': 'none' is not a number")]
    [InlineData("arrival_time,length\n0,10\n", "trace.csv:1: no column 'cpus'")]
    public void Read_BadRow_NamesLineAndColumn(string csv, string expected)
    {
        var e = Assert.Throws<UsageException>(() => GaiaTrace.Read(new StringReader(csv), "trace.csv", Settings(TimeSpan.FromSeconds(1))));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
