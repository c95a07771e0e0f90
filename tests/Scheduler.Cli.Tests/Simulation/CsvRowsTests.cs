using Scheduler.Cli;
using Scheduler.Cli.Simulation;

namespace Scheduler.Cli.Tests.Simulation;

public class CsvRowsTests
{
    [Fact]
    public void Next_QuotedFields_KeepCommasAndDoubledQuotes()
    {
        var rows = new CsvRows(new StringReader("a,b,c\n x , \"1,2\" ,\"say \"\"hi\"\"\"\n\n,,\n"), "t.csv", "a,b,c");

        Assert.True(rows.Next());
        Assert.Equal(("x", "1,2", "say \"hi\""), (rows[0], rows[1], rows[2]));
        Assert.Equal(2, rows.LineNumber);
        Assert.True(rows.Next());
        Assert.Equal(4, rows.LineNumber);
        Assert.Equal((string.Empty, string.Empty, string.Empty), (rows[0], rows[1], rows[2]));
        Assert.False(rows.Next());
    }

    [Fact]
    public void Column_FindsNamesCaseInsensitively()
    {
        var rows = new CsvRows(new StringReader("ID,Submit\n"), "t.csv", "id,submit");

        Assert.Equal(1, rows.Column("submit"));
        Assert.Equal(-1, rows.Column("deadline"));
        Assert.Equal(string.Empty, rows[-1]);
    }

    [Theory]
    [InlineData("a\n\"open\n", "t.csv:2: a quoted field has no closing quote")]
    [InlineData("a\n\"x\"y\n", "t.csv:2: text after a closing quote")]
    public void Next_BrokenQuotes_NameTheLine(string csv, string expected)
    {
        var rows = new CsvRows(new StringReader(csv), "t.csv", "a");

        var e = Assert.Throws<UsageException>(() => rows.Next());

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyFile_SaysWhatHeaderIsExpected()
    {
        var e = Assert.Throws<UsageException>(() => new CsvRows(new StringReader("\n\n"), "t.csv", "a,b"));

        Assert.Equal("t.csv: the file is empty; expected a header line 'a,b'", e.Message);
    }
}
