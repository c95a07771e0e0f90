namespace Scheduler.Cli.Tests;

public class CommandArgumentsTests
{
    private static readonly string[] Known = ["carbon", "format"];

    [Fact]
    public void All_RepeatedOption_KeepsEveryValueInOrder()
    {
        var options = CommandArguments.Parse(["--carbon", "DE=a.csv", "--carbon=b.csv", "--format", "json"], Known);

        Assert.Equal(["DE=a.csv", "b.csv"], options.All("carbon"));
        Assert.Equal("json", options.Optional("format"));
        Assert.Empty(CommandArguments.Parse([], Known).All("carbon"));
    }

    [Fact]
    public void Optional_OptionGivenTwice_IsAnError()
    {
        var options = CommandArguments.Parse(["--format", "json", "--format", "table"], Known);

        var e = Assert.Throws<UsageException>(() => options.Optional("format"));

        Assert.Equal("--format may be given only once (given 2 times)", e.Message);
    }

    [Theory]
    [InlineData(new[] { "--zone", "DE" }, "unknown option --zone; known: --carbon, --format")]
    [InlineData(new[] { "--carbon" }, "--carbon needs a value")]
    [InlineData(new[] { "carbon" }, "unexpected argument 'carbon'")]
    public void Parse_BadArguments_SaysWhatToChange(string[] args, string expected)
    {
        var e = Assert.Throws<UsageException>(() => CommandArguments.Parse(args, Known));

        Assert.Equal(expected, e.Message);
    }
}
