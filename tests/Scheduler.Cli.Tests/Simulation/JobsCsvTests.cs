using Scheduler.Cli;
using Scheduler.Cli.Simulation;

namespace Scheduler.Cli.Tests.Simulation;

public class JobsCsvTests
{
    private static readonly string[] Zones = ["DE", "FR", "GB"];

    [Fact]
    public void Read_AllColumnsInAnyOrder_BuildsTheJobs()
    {
        const string csv =
            "Zones,GPUS,interruptible,power_watts,nominal_start,deadline,duration_minutes,submit,id\n" +
            "\"FR; DE\",2,true,350,2025-01-01T02:00:00+01:00,2025-01-02 00:00:00,90,2025-01-01 00:00:00,train-1\n" +
            ",,,,,2025-01-02T00:00:00Z,30,2025-01-01T00:00:00Z,batch-2\n";

        var jobs = JobsCsv.Read(new StringReader(csv), "jobs.csv", Zones, defaultPowerWatts: 1000);

        Assert.Equal(2, jobs.Count);
        var train = jobs[0];
        Assert.Equal("train-1", train.Id);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), train.Submit);
        Assert.Equal(TimeSpan.FromMinutes(90), train.Duration);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), train.Deadline);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero), train.NominalStart);
        Assert.Equal(350, train.PowerWatts);
        Assert.True(train.Interruptible);
        Assert.Equal(["FR", "DE"], train.Zones);
        Assert.Equal(2, train.Gpus);

        // Empty optional fields take the defaults: the first zone, --power-watts, not interruptible, 1 GPU, start at submission.
        var batch = jobs[1];
        Assert.Equal(["DE"], batch.Zones);
        Assert.Equal(1000, batch.PowerWatts);
        Assert.False(batch.Interruptible);
        Assert.Equal(1, batch.Gpus);
        Assert.Null(batch.NominalStart);
    }

    [Theory]
    [InlineData("a,2025-01-01T00:00:00Z,0,2025-01-02T00:00:00Z,,", "jobs.csv:2: column 'duration_minutes': '0' is not a positive number of minutes")]
    [InlineData("a,2025-01-01T00:00:00Z,60,2025-01-01T00:30:00Z,,", "jobs.csv:2: column 'deadline': '2025-01-01T00:30:00Z' is before submit + duration")]
    [InlineData("a,2025-01-01T00:00:00Z,60,2025-01-02T00:00:00Z,maybe,", "jobs.csv:2: column 'interruptible': 'maybe' is not true, false, 1 or 0")]
    [InlineData("a,2025-01-01T00:00:00Z,60,2025-01-02T00:00:00Z,,1.5", "jobs.csv:2: column 'gpus': '1.5' is not a whole number of GPUs")]
    [InlineData("a,2025-01-01T00:00:00Z,sixty,2025-01-02T00:00:00Z,,", "jobs.csv:2: column 'duration_minutes': 'sixty' is not a number")]
    [InlineData(",2025-01-01T00:00:00Z,60,2025-01-02T00:00:00Z,,", "jobs.csv:2: column 'id': '' is empty")]
    public void Read_BadValue_NamesLineColumnAndWhatWasExpected(string row, string expected)
    {
        var e = Assert.Throws<UsageException>(() => JobsCsv.Read(new StringReader("id,submit,duration_minutes,deadline,interruptible,gpus\n" + row + "\n"), "jobs.csv", Zones, 1000));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RepeatedId_NamesBothLines()
    {
        const string csv = "id,submit,duration_minutes,deadline\na,2025-01-01T00:00:00Z,60,2025-01-02T00:00:00Z\na,2025-01-01T00:00:00Z,60,2025-01-02T00:00:00Z\n";

        var e = Assert.Throws<UsageException>(() => JobsCsv.Read(new StringReader(csv), "jobs.csv", Zones, 1000));

        Assert.Equal("jobs.csv:3: column 'id': 'a' is used already on line 2; ids must be unique", e.Message);
    }

    [Fact]
    public void Read_UnknownColumn_ListsTheColumns()
    {
        var e = Assert.Throws<UsageException>(() => JobsCsv.Read(new StringReader("id,submit,duration_minutes,deadline,power_wats\n"), "jobs.csv", Zones, 1000));

        Assert.StartsWith("jobs.csv:1: unknown column 'power_wats'; the columns are id,submit", e.Message, StringComparison.Ordinal);
    }
}
