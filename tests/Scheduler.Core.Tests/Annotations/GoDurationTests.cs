using Scheduler.Core.Annotations;

namespace Scheduler.Core.Tests.Annotations;

public class GoDurationTests
{
    [Theory]
    [InlineData("90m", 90 * 60)]
    [InlineData("2h30m", 150 * 60)]
    [InlineData("1.5h", 90 * 60)]
    [InlineData("45s", 45)]
    [InlineData("8h", 8 * 3600)]
    [InlineData("1h0m30s", 3630)]
    [InlineData(" 2h ", 7200)]
    public void TryParse_GoStyle_ReadsTheDuration(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("2")]
    [InlineData("2d")]
    [InlineData("h")]
    [InlineData("PT2H")]
    [InlineData("-1h")]
    [InlineData("1..5h")]
    public void TryParse_NotADuration_SaysWhy(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_UnknownUnit_NamesTheUnit()
    {
        Assert.False(GoDuration.TryParse("3days", out _, out var error));
        Assert.Contains("days", error, StringComparison.Ordinal);
    }
}
