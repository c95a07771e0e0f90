using Scheduler.Core.Annotations;
using Scheduler.Core.Deferral;

namespace Scheduler.Core.Tests.Deferral;

public class DeferralRequestReaderTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DeferralSettings Settings = new() { DefaultDuration = TimeSpan.FromHours(1) };

    [Fact]
    public void Read_NoDeadlineNorMaxDelay_AsksForNothing()
    {
        var reading = DeferralRequestReader.Read(new Dictionary<string, string> { [CarbonAnnotations.Duration] = "2h" }, Created, Settings);

        Assert.False(reading.AsksForDeferral);
        Assert.False(reading.Deferrable);
        Assert.Empty(reading.Errors);
    }

    [Fact]
    public void Read_EveryAnnotation_BecomesTheRequest()
    {
        var reading = DeferralRequestReader.Read(
            new Dictionary<string, string>
            {
                [CarbonAnnotations.Deadline] = "2026-11-25T09:00:00+01:00",
                [CarbonAnnotations.Duration] = "2h30m",
                [CarbonAnnotations.Interruptible] = "True",
                [CarbonAnnotations.Zones] = " DE, FR ,DE",
            },
            Created,
            Settings);

        var request = Assert.IsType<DeferralRequest>(reading.Request);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), request.Deadline);
        Assert.Equal(TimeSpan.FromMinutes(150), request.Duration);
        Assert.True(request.Interruptible);
        Assert.Equal(["DE", "FR"], request.Zones);
        Assert.False(request.ReleaseNow);
        Assert.Equal(Created, request.Submitted);
    }

    [Fact]
    public void Read_MaxDelay_LetsTheStartMoveThatMuchSoTheRunEndsThatMuchLater()
    {
        var reading = DeferralRequestReader.Read(
            new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h", [CarbonAnnotations.Duration] = "2h" }, Created, Settings);

        Assert.Equal(Created.AddHours(10), reading.Request!.Deadline);
    }

    [Fact]
    public void Read_NoDuration_UsesTheConfiguredDefault()
    {
        var reading = DeferralRequestReader.Read(new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "4h" }, Created, Settings with { DefaultDuration = TimeSpan.FromMinutes(45) });

        Assert.Equal(TimeSpan.FromMinutes(45), reading.Request!.Duration);
        Assert.Equal(Created.AddMinutes(285), reading.Request.Deadline);
    }

    [Theory]
    [InlineData(CarbonAnnotations.Deadline, "tomorrow", "carbon-aware.io/deadline: 'tomorrow' is not an RFC 3339 time")]
    [InlineData(CarbonAnnotations.Deadline, "2026-11-25T09:00:00", "not an RFC 3339 time with an offset")]
    [InlineData(CarbonAnnotations.Deadline, "2026-11-25", "not an RFC 3339 time")]
    [InlineData(CarbonAnnotations.MaxDelay, "8 hours", "carbon-aware.io/max-delay:")]
    public void Read_BadTime_IsAnErrorNamingTheAnnotation(string key, string value, string expected)
    {
        var reading = DeferralRequestReader.Read(new Dictionary<string, string> { [key] = value }, Created, Settings);

        Assert.True(reading.AsksForDeferral);
        Assert.False(reading.Deferrable);
        Assert.Contains(reading.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SeveralProblems_ReportsEachAndIsNotDeferrable()
    {
        var reading = DeferralRequestReader.Read(
            new Dictionary<string, string>
            {
                [CarbonAnnotations.MaxDelay] = "8h",
                [CarbonAnnotations.Duration] = "-1h",
                [CarbonAnnotations.Interruptible] = "yes",
                [CarbonAnnotations.Zones] = " , ",
            },
            Created,
            Settings);

        Assert.Null(reading.Request);
        Assert.Equal(3, reading.Errors.Count);
        Assert.Contains(reading.Errors, e => e.StartsWith(CarbonAnnotations.Duration, StringComparison.Ordinal));
        Assert.Contains(reading.Errors, e => e.StartsWith(CarbonAnnotations.Interruptible, StringComparison.Ordinal));
        Assert.Contains(reading.Errors, e => e.StartsWith(CarbonAnnotations.Zones, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_DeadlineAndMaxDelayTogether_IsAmbiguous()
    {
        var reading = DeferralRequestReader.Read(
            new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h", [CarbonAnnotations.Deadline] = "2026-11-25T09:00:00Z" }, Created, Settings);

        Assert.Null(reading.Request);
        Assert.Contains("both set", Assert.Single(reading.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StrictAndReleaseNow_AreCarried()
    {
        var reading = DeferralRequestReader.Read(
            new Dictionary<string, string> { [CarbonAnnotations.MaxDelay] = "8h", [CarbonAnnotations.Strict] = "true", [CarbonAnnotations.ReleaseNow] = "" }, Created, Settings);

        Assert.True(reading.Strict);
        Assert.True(reading.Request!.ReleaseNow);
    }
}
