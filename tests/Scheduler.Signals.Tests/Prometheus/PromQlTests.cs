using Scheduler.Signals.Prometheus;

namespace Scheduler.Signals.Tests.Prometheus;

public class PromQlTests
{
    [Fact]
    public void Quote_EscapesQuotesAndBackslashes()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", PromQl.Quote("a\"b\\c"));
    }

    [Fact]
    public void AnyOf_EscapesRegexPunctuationSoNamesMatchExactly()
    {
        // The RE2 pattern train-7x2k\.v1|eval\+1, inside a PromQL string whose backslashes are escaped.
        Assert.Equal("\"train-7x2k\\\\.v1|eval\\\\+1\"", PromQl.AnyOf(["train-7x2k.v1", "eval+1"]));
    }

    [Fact]
    public void Duration_IsWholeSecondsAndNeverZero()
    {
        Assert.Equal("90s", PromQl.Duration(TimeSpan.FromSeconds(89.2)));
        Assert.Equal("1s", PromQl.Duration(TimeSpan.Zero));
    }
}
