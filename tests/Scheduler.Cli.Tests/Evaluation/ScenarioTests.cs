using Scheduler.Cli.Evaluation;

namespace Scheduler.Cli.Tests.Evaluation;

public class ScenarioTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NightlyJobs_MayMoveWHoursEitherWayAndRunAtOneWithoutUs()
    {
        var jobs = NightlyJobs.Build(Start, Start.AddDays(10), hoursEitherSide: 3, "DE", 1000);

        // The first night's window would open on 31 December, before the data: it is left out.
        Assert.Equal(9, jobs.Count);
        var job = jobs[0];
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 22, 0, 0, TimeSpan.Zero), job.Submit);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 1, 0, 0, TimeSpan.Zero), job.BaselineStart);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 4, 30, 0, TimeSpan.Zero), job.Deadline);
        Assert.Equal(TimeSpan.FromMinutes(30), job.Duration);
    }

    [Theory]
    [InlineData("2025-01-08T05:00:00Z", "2025-01-08T09:00:00Z")] // Wednesday before nine: the same morning
    [InlineData("2025-01-08T09:00:00Z", "2025-01-09T09:00:00Z")] // at nine: the next one
    [InlineData("2025-01-10T20:00:00Z", "2025-01-13T09:00:00Z")] // Friday evening: Monday
    [InlineData("2025-01-11T08:00:00Z", "2025-01-13T09:00:00Z")] // Saturday morning: Monday
    public void NextWorkingMorning_IsNineOnTheNextWorkingDay(string time, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TrainingJobs.NextWorkingMorning(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void TrainingJobs_ArriveInWorkingHoursAndAreDueTheMorningAfterTheyCouldFinish()
    {
        var jobs = TrainingJobs.Build(Start, Start.AddDays(120), perWorkingDay: 4, seed: 7, "DE", 1000);

        Assert.True(jobs.Count > 300, $"{jobs.Count} jobs");
        Assert.All(jobs, job =>
        {
            Assert.InRange(job.Submit.DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday);
            Assert.InRange(job.Submit.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17));
            Assert.InRange(job.Duration.TotalHours, 4, 90);
            Assert.Equal(TrainingJobs.NextWorkingMorning(job.Submit + job.Duration), job.Deadline);
        });
        Assert.Contains(jobs, j => j.Duration.TotalHours < 8);
        Assert.Contains(jobs, j => j.Duration.TotalHours > 60);
        Assert.Equal(jobs.Select(j => j.Duration), TrainingJobs.Build(Start, Start.AddDays(120), 4, 7, "DE", 1000).Select(j => j.Duration));
    }
}
